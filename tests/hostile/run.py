#!/usr/bin/env python3
"""run.py - the hostile-input corpus: camarch fed what a hostile user would write.

usage: run.py CAMARCH SOURCE_ROOT SANITIZE [NAME_PATTERN...]

Each case is a directory tests/hostile/cases/<class>-<name>/ (its files are
copied into the case's working directory; `case` holds its script), or one
produced at test time by gen.py (big, deep, or byte-level inputs that are not
committed as files).  A case script is a list of directives, one per line
(`#` starts a comment line):

  sh CMD            run CMD with /bin/sh in the working directory (set-up and
                    edits between runs; exit 77 skips the case).  The shell
                    sees $CAMARCH, $ROOT (the source tree), $STDLIB (its
                    stdlib/), $OUTSIDE (the canary tree) and $WORK.
  env NAME=VALUE    an environment variable for the runs that follow
  run ARGS          run camarch ARGS (split as the shell would, after
                    $OUTSIDE, $WORK and $ROOT are expanded); default, when a
                    case has no run: `run build estate.camarch -o out`
  timeout SECONDS   the time bound of the runs that follow (default 10)
  rss MIB           the peak RSS bound of the runs that follow (default 1024), for
                    cases whose output is large by design
and, about the last run:
  exit N[|M...]     its exit status is one of these
  loc [WHERE] [ID]  stderr has a located error `FILE:LINE:COL: error[ID]:`;
                    WHERE is FILE, FILE:LINE or FILE:LINE:COL (FILE may be *,
                    LINE may be 3|7), ID a regular expression (SYN.*)
  loc? [WHERE] [ID] the same, required only when the run exited 1
  stderr-has RE     stderr matches RE;  stderr-lacks RE: it does not
and about the files (PATH relative to the working directory, or absolute):
  exists PATH / absent PATH
  grep PATH RE      a file at or under PATH has a line matching RE
  nogrep PATH RE    no file at or under PATH has one (true if PATH is absent)
  mode PATH OCTAL   PATH's permission bits
  same-tree A B     A and B hold the same files with the same contents and modes
  fill-secret FILE SECRET KEY VALUE     in a Compose secrets.env, give the
                    variable of secret("SECRET", key = "KEY") the value VALUE
  secret-value FILE SECRET KEY VALUE    that variable holds VALUE

Every run is also held to these, whatever the case says:
  - it ends within the time bound (x5 under a sanitizer build), and its peak
    RSS stays below 1 GiB (not measured under a sanitizer build);
  - it is not killed by a signal, and a sanitizer reports nothing;
  - nothing in the sandbox changed except below the run's output directory
    (`build`'s -o, default out) when it succeeded: the sandbox is the case's
    directory tree, holding the working directory (three levels down, so an
    escape upwards lands in it) and $OUTSIDE, the tree the cases' symbolic
    links point at; every file's type, mode and content (sha256) are
    compared.  A run that fails, and every check or ir, changes nothing.

Prints one line per case (ok, SKIPPED, or FAILED with the reasons) and a
summary; exits 1 if any case failed.
"""

import concurrent.futures
import glob
import hashlib
import os
import re
import resource
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402  (the generated cases)

RSS_LIMIT = 1 << 30          # bytes: the bound a run must stay under
RSS_KILL = 3 << 30           # bytes: a runaway is killed here, to spare the machine
DEFAULT_RUN = "build estate.camarch -o out"
LOC_RE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): error\[(?P<id>[A-Za-z]+[0-9]+)\]:", re.M)


class Case:
    def __init__(self, name, script, src_dir=None, make=None):
        self.name, self.script, self.src_dir, self.make = name, script, src_dir, make


class Skip(Exception):
    pass


def load_cases():
    cases = []
    cdir = os.path.join(HERE, "cases")
    for name in sorted(os.listdir(cdir)):
        d = os.path.join(cdir, name)
        if os.path.isfile(os.path.join(d, "case")):
            with open(os.path.join(d, "case"), encoding="utf-8") as f:
                cases.append(Case(name, f.read(), src_dir=d))
    for name, script, make in gen.cases():
        cases.append(Case(name, script, make=make))
    return cases


# --- snapshots of the sandbox ------------------------------------------------

def file_digest(path, st):
    # big (sparse) files are recognised by size, inode and mtime, not read
    if st.st_size > (16 << 20):
        return "big:%d:%d:%d" % (st.st_size, st.st_ino, st.st_mtime_ns)
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        while True:
            b = os.read(fd, 1 << 20)
            if not b:
                break
            h.update(b)
    finally:
        os.close(fd)
    return h.hexdigest()


def snapshot(root, exclude=None):
    """path -> (kind, mode, content) for everything under root, links not followed."""
    snap = {}
    for dirpath, dirnames, filenames in os.walk(root):
        if exclude and (dirpath == exclude or dirpath.startswith(exclude + os.sep)):
            dirnames[:] = []
            continue
        for n in dirnames + filenames:
            p = os.path.join(dirpath, n)
            if exclude and (p == exclude or p.startswith(exclude + os.sep)):
                continue
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue
            m = st.st_mode
            if stat.S_ISLNK(m):
                entry = ("link", 0, os.readlink(p))
            elif stat.S_ISREG(m):
                entry = ("file", stat.S_IMODE(m), file_digest(p, st))
            elif stat.S_ISDIR(m):
                entry = ("dir", stat.S_IMODE(m), "")
            else:
                entry = ("special", stat.S_IMODE(m), stat.S_IFMT(m))
            snap[os.path.relpath(p, root)] = entry
        # os.walk does not descend into symlinked directories: good
    return snap


def without(snap, root, excl):
    """snap less what lies at or below excl."""
    if not excl:
        return snap
    rel = os.path.relpath(excl, root)
    return {k: v for k, v in snap.items() if k != rel and not k.startswith(rel + os.sep)}


def diff_snapshots(a, b):
    out = []
    for p in sorted(set(a) | set(b)):
        if p not in b:
            out.append("removed " + p)
        elif p not in a:
            out.append("created " + p)
        elif a[p] != b[p]:
            what = "mode of" if a[p][0] == b[p][0] and a[p][2] == b[p][2] else "changed"
            out.append("%s %s" % (what, p))
    return out


# --- one run of camarch ---------------------------------------------------------

def rss_now(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_camarch(ctx, args, env, limit, stdout_path, stderr_path):
    """Runs camarch; returns (status, seconds, peak RSS in bytes, killed_reason)."""
    def preexec():
        os.setsid()
        if not ctx.sanitize:
            # a hard cap on address space, so a runaway fails instead of
            # taking the machine's memory (the measured bound is RSS_LIMIT)
            resource.setrlimit(resource.RLIMIT_AS, (RSS_KILL + (1 << 30), RSS_KILL + (1 << 30)))
    with open(stdout_path, "wb") as so, open(stderr_path, "wb") as se:
        start = time.monotonic()
        p = subprocess.Popen([ctx.camarch] + args, cwd=ctx.work, env=env, stdin=subprocess.DEVNULL,
                             stdout=so, stderr=se, preexec_fn=preexec)
        killed = None
        peak = 0
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.monotonic() - start
            rss = rss_now(p.pid)
            peak = max(peak, rss)
            if not killed and elapsed > limit + 1:
                killed = "did not end within %.0f s (killed)" % (limit + 1)
            elif not killed and rss > RSS_KILL:
                killed = "RSS above %d MiB (killed)" % (RSS_KILL >> 20)
            if killed:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.005 if elapsed < 0.2 else 0.02)
        p.returncode = 0  # reaped by wait4
        seconds = time.monotonic() - start
        peak = max(peak, ru.ru_maxrss * 1024)
    if os.WIFSIGNALED(status):
        code = -os.WTERMSIG(status)
    else:
        code = os.WEXITSTATUS(status)
    return code, seconds, peak, killed


def output_dir(ctx, args):
    """The directory a build with these args may write (None for check and ir)."""
    if not args or args[0] != "build":
        return None
    out = "out"
    i = 1
    while i < len(args):
        a = args[i]
        if a in ("-o", "--output") and i + 1 < len(args):
            out = args[i + 1]
            i += 1
        elif a.startswith("--output="):
            out = a[len("--output="):]
        i += 1
    if out == "":
        return None
    return os.path.normpath(os.path.join(ctx.work, out))


# --- a case -------------------------------------------------------------------

class Ctx:
    pass


def expand(ctx, text):
    for k in ("OUTSIDE", "WORK", "ROOT", "STDLIB"):
        text = text.replace("${%s}" % k, ctx.vars[k]).replace("$" + k, ctx.vars[k])
    return text


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


def files_under(path):
    if os.path.isfile(path):
        return [path]
    out = []
    for dirpath, _, filenames in os.walk(path):
        out.extend(os.path.join(dirpath, n) for n in filenames)
    return [p for p in out if os.path.isfile(p) and not os.path.islink(p)]


def secrets_var(path, secret, key):
    """The line index of the variable secrets.env gives secret("SECRET", key = "KEY")."""
    lines = read_text(path).split("\n")
    want = re.compile(r'^#.*"%s".*"%s"' % (re.escape(secret), re.escape(key)))
    for i, line in enumerate(lines):
        if want.search(line):
            for j in range(i + 1, len(lines)):
                if re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", lines[j]):
                    return lines, j
                if lines[j].strip() and not lines[j].startswith("#"):
                    break
    return lines, None


def check_loc(ctx, words, stderr):
    where = words[0] if words and (":" in words[0] or "." in words[0] or words[0] == "*") else None
    idre = words[1] if where and len(words) > 1 else (words[0] if words and not where else None)
    want_file = want_line = want_col = None
    if where:
        parts = where.split(":")
        want_file = parts[0]
        want_line = parts[1].split("|") if len(parts) > 1 else None
        want_col = parts[2] if len(parts) > 2 else None
    for m in LOC_RE.finditer(stderr):
        if want_file not in (None, "*") and m.group("file") != want_file:
            continue
        if want_line and m.group("line") not in want_line:
            continue
        if want_col and m.group("col") != want_col:
            continue
        if idre and not re.fullmatch(idre, m.group("id")):
            continue
        return None
    return "no located error%s%s in stderr" % (" at " + where if where else "", " [" + idre + "]" if idre else "")


def run_case(ctx0, case):
    began = time.monotonic()
    name, result, notes = run_case1(ctx0, case)
    secs = time.monotonic() - began
    return name, result, notes + (["%.1f s" % secs] if secs >= 2 else [])


def run_case1(ctx0, case):
    ctx = Ctx()
    ctx.__dict__.update(ctx0.__dict__)
    # tmpfs when there is one (thousands of small files are slow to create
    # and delete on a disk); chattr needs a real file system
    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) and "chattr" not in case.script else None
    base = tempfile.mkdtemp(prefix="camarch-hostile-", dir=shm)
    sandbox = os.path.join(base, "sandbox")
    ctx.outside = os.path.join(sandbox, "outside")
    ctx.work = os.path.join(sandbox, "d1", "d2", "work")
    os.makedirs(ctx.work)
    os.makedirs(ctx.outside)
    # the canary tree: files symbolic links in the cases may point at
    with open(os.path.join(ctx.outside, "canary.txt"), "w") as f:
        f.write("a file outside the output directory\n")
    os.chmod(os.path.join(ctx.outside, "canary.txt"), 0o640)
    os.makedirs(os.path.join(ctx.outside, "dir"))
    with open(os.path.join(ctx.outside, "dir", "values.yaml"), "w") as f:
        f.write("# not camarch's\n")
    ctx.vars = {"OUTSIDE": ctx.outside, "WORK": ctx.work, "ROOT": ctx.root, "STDLIB": os.path.join(ctx.root, "stdlib")}
    env = dict(os.environ)
    env.pop("CAMARCH_STDLIB", None)
    if ctx.sanitize:
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    shenv = dict(env, CAMARCH=ctx.camarch, **ctx.vars)
    fails = []
    last = None  # (status, stderr) of the last run
    limit = 10.0
    rss_limit = RSS_LIMIT
    try:
        if case.src_dir:
            for n in os.listdir(case.src_dir):
                if n != "case":
                    s = os.path.join(case.src_dir, n)
                    (shutil.copytree if os.path.isdir(s) else shutil.copy2)(s, os.path.join(ctx.work, n))
        if case.make:
            case.make(ctx.work, ctx)
        lines = [l.rstrip("\n") for l in case.script.split("\n")]
        lines = [l for l in lines if l.strip() and not l.lstrip().startswith("#")]
        if not any(l.split(None, 1)[0] == "run" for l in lines):
            i = 0
            while i < len(lines) and lines[i].split(None, 1)[0] in ("sh", "env", "timeout"):
                i += 1
            lines.insert(i, "run " + DEFAULT_RUN)
        for line in lines:
            word, _, rest = line.strip().partition(" ")
            rest = rest.strip()
            if word == "sh":
                r = subprocess.run(["/bin/sh", "-c", rest], cwd=ctx.work, env=shenv, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
                if r.returncode == 77:
                    raise Skip(r.stdout.decode("utf-8", "replace").strip())
                if r.returncode != 0:
                    fails.append("set-up failed: %s: %s" % (rest[:60], r.stdout.decode("utf-8", "replace").strip()[-300:]))
                    break
            elif word == "env":
                k, _, v = rest.partition("=")
                env[k] = expand(ctx, v)
            elif word == "timeout":
                limit = float(rest)
            elif word == "rss":
                rss_limit = int(rest) << 20
            elif word == "run":
                args = shlex.split(expand(ctx, rest))
                outdir = output_dir(ctx, args)
                before = snapshot(sandbox)
                bound = limit * (5 if ctx.sanitize else 1)
                so, se = os.path.join(base, "stdout"), os.path.join(base, "stderr")
                code, secs, peak, killed = run_camarch(ctx, args, env, bound, so, se)
                stderr = read_text(se)
                last = (code, stderr)
                tag = "`%s`: " % " ".join(shlex.quote(a) for a in args)[:80]
                if killed:
                    fails.append(tag + killed)
                elif code < 0:
                    fails.append(tag + "killed by signal %d (a crash)" % -code)
                if secs > bound and not killed:
                    fails.append(tag + "took %.1f s (bound %.0f s)" % (secs, bound))
                if not ctx.sanitize and peak > rss_limit and not killed:
                    fails.append(tag + "peak RSS %d MiB (bound %d MiB)" % (peak >> 20, rss_limit >> 20))
                if ctx.sanitize and re.search(r"ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:", stderr):
                    fails.append(tag + "sanitizer report: " + next(
                        (l for l in stderr.split("\n") if "Sanitizer" in l or "runtime error" in l), "")[:160])
                excl = outdir if (code == 0 and outdir and outdir.startswith(sandbox + os.sep)) else None
                changed = diff_snapshots(without(before, sandbox, excl), snapshot(sandbox, excl))
                if changed:
                    fails.append(tag + "changed outside its output directory: " + ", ".join(changed[:4])
                                 + (" (+%d more)" % (len(changed) - 4) if len(changed) > 4 else ""))
            elif last is None and word in ("exit", "loc", "loc?", "stderr-has", "stderr-lacks"):
                fails.append("case script: %s before any run" % word)
            elif word == "exit":
                allowed = [int(x) for x in rest.split("|")]
                if last[0] not in allowed:
                    first = next((l for l in last[1].split("\n") if l.strip() and not l.startswith(" ")), "")
                    fails.append("exit %d, expected %s%s" % (last[0], rest, (" (" + first[:140] + ")") if first else ""))
            elif word in ("loc", "loc?"):
                if word == "loc?" and last[0] != 1:
                    continue
                why = check_loc(ctx, rest.split(), last[1])
                if why:
                    fails.append(why)
            elif word == "stderr-has":
                if not re.search(rest, last[1], re.M):
                    fails.append("stderr lacks /%s/" % rest)
            elif word == "stderr-lacks":
                if re.search(rest, last[1], re.M):
                    fails.append("stderr has /%s/" % rest)
            elif word in ("exists", "absent"):
                p = os.path.join(ctx.work, expand(ctx, rest))
                there = bool(glob.glob(p)) if glob.has_magic(p) else os.path.lexists(p)
                if there != (word == "exists"):
                    fails.append("%s is %s" % (rest, "missing" if word == "exists" else "there"))
            elif word in ("grep", "nogrep"):
                path, _, rx = rest.partition(" ")
                p = os.path.join(ctx.work, expand(ctx, path))
                hits = [f for f in (files_under(p) if os.path.lexists(p) else [])
                        if re.search(rx, read_text(f), re.M)]
                if word == "grep" and not hits:
                    fails.append("no line matches /%s/ in %s" % (rx, path))
                if word == "nogrep" and hits:
                    fails.append("/%s/ found in %s" % (rx, os.path.relpath(hits[0], ctx.work)))
            elif word == "mode":
                path, octal = rest.split()
                try:
                    m = stat.S_IMODE(os.lstat(os.path.join(ctx.work, path)).st_mode)
                    if m != int(octal, 8):
                        fails.append("%s has mode %o, expected %s" % (path, m, octal))
                except FileNotFoundError:
                    fails.append("%s is missing" % path)
            elif word == "same-tree":
                a, b = (os.path.join(ctx.work, x) for x in rest.split())
                sa, sb = snapshot(a), snapshot(b)
                d = diff_snapshots(sa, sb)
                if d:
                    fails.append("%s differs from %s: %s" % (rest.split()[0], rest.split()[1], ", ".join(d[:4])))
            elif word in ("fill-secret", "secret-value"):
                path, secret, key, value = shlex.split(rest)
                p = os.path.join(ctx.work, path)
                if not os.path.isfile(p):
                    fails.append("%s is missing" % path)
                    continue
                lines, j = secrets_var(p, secret, key)
                if j is None:
                    fails.append('%s has no variable for secret "%s", key "%s"' % (path, secret, key))
                    continue
                var = lines[j].split("=", 1)[0]
                if word == "fill-secret":
                    lines[j] = "%s='%s'" % (var, value)
                    mode = stat.S_IMODE(os.stat(p).st_mode)
                    with open(p, "w") as f:
                        f.write("\n".join(lines))
                    os.chmod(p, mode)
                else:
                    got = lines[j].split("=", 1)[1]
                    if got not in (value, "'%s'" % value, '"%s"' % value):
                        fails.append('secret "%s" key "%s" holds %s in %s, expected \'%s\'' % (secret, key, got, path, value))
            else:
                fails.append("case script: unknown directive %r" % word)
    except Skip as e:
        return case.name, "skip", [str(e) or "skipped"]
    except Exception as e:  # a broken case is a failure, not a crash of the runner
        fails.append("runner error: %r" % e)
    finally:
        shutil.rmtree(base, ignore_errors=True)
        if os.path.exists(base):  # a case left an immutable file behind
            try:
                subprocess.run(["chattr", "-R", "-i", base], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError:
                pass
            shutil.rmtree(base, ignore_errors=True)
    if not fails and last and os.environ.get("HOSTILE_VERBOSE"):
        first = next((l for l in last[1].split("\n") if re.match(r"\S.*error\[", l)), "")
        fails = ["exit %d: %s" % (last[0], first[:150])]
        return case.name, "ok", fails
    return case.name, ("fail" if fails else "ok"), fails


def main(argv):
    if len(argv) < 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    ctx = Ctx()
    ctx.camarch = os.path.abspath(argv[1])
    ctx.root = os.path.abspath(argv[2])
    ctx.sanitize = argv[3].upper() in ("ON", "1", "TRUE", "YES")
    # the biggest generated inputs shrink under a sanitizer, keeping their shape
    ctx.scale = 4 if ctx.sanitize else 1
    pats = argv[4:]
    cases = [c for c in load_cases() if not pats or any(re.search(p, c.name) for p in pats)]
    jobs = int(os.environ.get("HOSTILE_JOBS", "2"))
    counts = {"ok": 0, "fail": 0, "skip": 0}
    per_class = {}
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, result, notes in pool.map(lambda c: run_case(ctx, c), cases):
            counts[result] += 1
            cls = name.split("-", 1)[0]
            per_class.setdefault(cls, [0, 0])
            per_class[cls][0] += 1
            per_class[cls][1] += result == "fail"
            if result == "ok":
                print("ok: " + name + ("  (%s)" % "; ".join(notes) if notes else ""))
            elif result == "skip":
                print("SKIPPED: %s: %s" % (name, notes[0]))
            else:
                print("FAILED: %s: %s" % (name, "; ".join(notes)))
            sys.stdout.flush()
    print("by class: " + ", ".join("%s %d (%d failed)" % (k, v[0], v[1]) for k, v in sorted(per_class.items())))
    print("%d passed, %d failed, %d skipped (%d cases, %.0f s%s)" % (
        counts["ok"], counts["fail"], counts["skip"], len(cases), time.monotonic() - start,
        ", sanitizer build" if ctx.sanitize else ""))
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

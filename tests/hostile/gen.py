"""gen.py - the hostile cases made at test time rather than committed.

Big or deep inputs (100,000 lets, a 10,000-file import chain, 100,000-deep
nesting, a million-element list, a 10 MB line, numbers of thousands of
digits, many environments), byte-level ones (invalid UTF-8, NUL bytes, a BOM,
CR line ends, unterminated constructs at the end of the file) and prefixes of
the repository's own estates cut inside a block or a string.

cases() yields (name, script, make): make(work, ctx) writes the case's files
into its working directory (ctx.root is the source tree; ctx.scale is 4
under a sanitizer build, where the biggest inputs shrink by that factor,
keeping their shape); script is a case script as run.py describes.
"""

import os

HELM = b'estate "acme" {\n  version = "8.8"\n}\n\nenvironment "dev" {\n  target = helm\n}\n'
COMPOSE = (b'estate "acme" {\n  version = "8.8"\n  orchestration { brokers = 1, partitions = 1, replication = 1 }\n'
           b'  identity { method = none }\n}\n\nenvironment "dev" {\n  target = compose\n}\n')
SYSTEMD = (b'estate "acme" {\n  version = "8.8"\n  orchestration {\n    brokers = 1, partitions = 1, replication = 1\n'
           b'    storage = none\n  }\n  identity { method = none }\n  host "node1" { address = "192.168.56.10" }\n}\n\n'
           b'environment "laptop" {\n  target = systemd\n}\n')
C8RUN = (b'estate "acme" {\n  version = "8.8"\n  orchestration { brokers = 1, partitions = 1, replication = 1 }\n'
         b'  identity { method = none }\n}\n\nenvironment "laptop" {\n  target = c8run\n}\n')
BASES = {"helm": HELM, "compose": COMPOSE, "systemd": SYSTEMD, "c8run": C8RUN}


def write(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def estate(data, name="estate.camarch"):
    return lambda work, ctx: write(os.path.join(work, name), data)


def line_of(data, needle):
    return data[:data.index(needle)].count(b"\n") + 1


# --- lex: bytes the lexer must refuse, or take ------------------------------

BAD_UTF8 = {
    "overlong-2": b"\xc0\xaf",
    "overlong-3": b"\xe0\x80\xaf",
    "overlong-4": b"\xf0\x80\x80\xaf",
    "surrogate": b"\xed\xa0\x80",
    "lone-continuation": b"\x80",
    "truncated-sequence": b"\xe2\x82",
    "above-10ffff": b"\xf4\x90\x80\x80",
    "byte-ff": b"\xff",
}

# where the bad bytes go: a template with @ for them, and the line it is on
PLACES = {
    "string": b'estate "acme" {\n  version = "8.8"\n  target = helm\n  orchestration { java_opts = "-Da=@b" }\n}\n',
    "comment": b'estate "acme" {\n  version = "8.8"\n  target = helm\n  // a comment: @\n}\n',
    "block-comment": b'estate "acme" {\n  version = "8.8"\n  target = helm\n  /* a comment:\n     @ */\n}\n',
    "label": b'estate "acme" {\n  version = "8.8"\n}\n\nenvironment "d@ev" {\n  target = helm\n}\n',
}


def lex_cases():
    for pname, tmpl in PLACES.items():
        for bname, bad in BAD_UTF8.items():
            data = tmpl.replace(b"@", bad)
            yield ("lex-utf8-%s-in-%s" % (bname, pname),
                   "# invalid UTF-8 (%s) in a %s: refused where it is\nrun check estate.camarch\nexit 1\nloc estate.camarch:%d\n"
                   % (bname, pname, line_of(tmpl, b"@")), estate(data))
    for bname in ("overlong-2", "lone-continuation"):
        data = HELM.replace(b"  target", BAD_UTF8[bname] + b" target")
        yield ("lex-utf8-%s-between-tokens" % bname,
               "run check estate.camarch\nexit 1\nloc estate.camarch:6\n", estate(data))
    data = HELM + b"// ends in the middle of a character: \xe2\x82"
    yield ("lex-utf8-truncated-at-eof", "run check estate.camarch\nexit 1\nloc estate.camarch:8\n", estate(data))
    # valid UTF-8 is fine in strings and comments
    for name, text in (("emoji", "\U0001F680"), ("max-scalar", "\U0010FFFF"), ("noncharacter", "\uFFFF"),
                       ("bom-inside", "\uFEFF")):
        data = PLACES["string"].replace(b"@", text.encode()).replace(b"// a", b"// a " + text.encode())
        yield ("lex-utf8-valid-%s-in-string" % name, "# valid UTF-8: accepted\nrun build estate.camarch -o out\nexit 0\n",
               estate(data))
    yield ("lex-utf8-valid-in-comments",
           "run check estate.camarch\nexit 0\n",
           estate(b"// caf\xc3\xa9, \xe6\x97\xa5\xe6\x9c\xac, \xf0\x9f\x9a\x80\n/* \xc3\xa9\n \xe2\x82\xac */\n" + HELM))

    # NUL bytes: never a silent end of the string, the path or the file
    nul = [
        ("string", b'estate "acme" {\n  version = "8.8"\n  target = helm\n  namespace = "cam\x00unda"\n}\n', "4"),
        ("java-opts", b'estate "acme" {\n  version = "8.8"\n  target = helm\n  orchestration { java_opts = "-Da\x00-Db" }\n}\n', "4"),
        ("import-path", b'import "./a.camarch\x00../../../etc/passwd"\n' + HELM, "1"),
        ("label", b'estate "acme" {\n  version = "8.8"\n}\nenvironment "de\x00v" {\n  target = helm\n}\n', "4"),
        ("secret-name", b'estate "acme" {\n  version = "8.8"\n  target = helm\n  license = secret("lic\x00ense")\n}\n', "4"),
        ("secret-key", b'estate "acme" {\n  version = "8.8"\n  target = helm\n  license = secret("license", key = "k\x00ey")\n}\n', "4"),
        ("between-tokens", b'estate "acme" {\n  version = "8.8"\n  target \x00= helm\n}\n', "3"),
        ("at-end", HELM + b"\x00", "8"),
        # after a NUL in a comment the file goes on: the error on line 7 must be found
        # (a lexer that stopped at the NUL would see an estate without environments)
        ("comment", b'estate "acme" {\n  version = "8.8"\n}\n\n// a comment \x00 with a NUL\nenvironment "dev" {\n'
                    b'  orchestration { brokers = 0 }\n  target = helm\n}\n', "5|7"),
        ("block-comment", b'estate "acme" {\n  version = "8.8"\n}\n\n/* a comment \x00 with a NUL */\nenvironment "dev" {\n'
                          b'  orchestration { brokers = 0 }\n  target = helm\n}\n', "5|7"),
    ]
    for name, data, line in nul:
        def make(work, ctx, data=data):
            write(os.path.join(work, "estate.camarch"), data)
            write(os.path.join(work, "a.camarch"), b"let x = 1\n")
        yield ("read-nul-in-%s" % name, "# a NUL byte is refused where it is, never a silent cut\n"
               "run check estate.camarch\nexit 1\nloc estate.camarch:%s\n" % line, make)

    # BOM, CR, CRLF, tabs: odd but valid, or refused where they are
    crlf = HELM.replace(b"\n", b"\r\n")
    for name, data, script in [
        ("bom", b"\xef\xbb\xbf" + HELM, "exit 0\n"),
        ("bom-crlf", b"\xef\xbb\xbf" + crlf, "exit 0\n"),
        ("bom-then-comment", b"\xef\xbb\xbf// estate.camarch\n" + HELM, "exit 0\n"),
        ("bom-twice", b"\xef\xbb\xbf\xef\xbb\xbf" + HELM, "exit 1\nloc estate.camarch:1\n"),
        ("bom-mid-file", HELM.replace(b"\nenvironment", b"\n\xef\xbb\xbfenvironment"), "exit 1\nloc estate.camarch:5\n"),
        ("crlf", crlf, "exit 0\nsame-tree out ref\n"),
        ("crlf-comments", (b"// a comment\n/* a block\n comment */\n# hash\n" + HELM).replace(b"\n", b"\r\n"), "exit 0\n"),
        ("crlf-mixed", HELM.replace(b"\n", b"\r\n", 3), "exit 0\n"),
        ("crlf-error-line", b'estate "acme" {\r\n  version = "8.8"\r\n  orchestration { brokers = 0 }\r\n  target = helm\r\n}\r\n',
         "exit 1\nloc estate.camarch:3:29\n"),
        ("cr-as-blank", HELM.replace(b"version =", b"version =\r").replace(b"target =", b"target\r="), "exit 0\n"),
        ("cr-only-line-ends", b'estate "acme" {\r  version = "8.8",\r  target = helm,\r},\renvironment "dev" { target = helm }\r',
         "exit 0\n"),
        ("tabs", HELM.replace(b"  ", b"\t\t"), "exit 0\n"),
        ("tab-column", b'estate "acme" {\n  version = "8.8"\n  target = helm\n\torchestration {\n\t\tbrokers = 0\n\t}\n}\n',
         "# columns count characters, a tab as one\nexit 1\nloc estate.camarch:5:13\n"),
        ("no-final-newline", HELM.rstrip(b"\n"), "exit 0\n"),
        ("hash-comment-at-eof", HELM + b"# the end, without a newline", "exit 0\n"),
        ("empty", b"", "exit 1\n"),
        ("only-newlines", b"\n\n\n\n", "exit 1\n"),
        ("only-blanks", b" \t \r\n\t\n", "exit 1\n"),
        ("only-comments", b"// nothing here\n# nor here\n/* nor\n here */\n", "exit 1\n"),
    ]:
        if "same-tree" in script:  # the same outputs as the file with LF line ends
            def make(work, ctx, data=data):
                write(os.path.join(work, "estate.camarch"), HELM)
                write(os.path.join(work, "crlf.bin"), data)
            script = ("sh $CAMARCH build estate.camarch -o ref 2>/dev/null && cp crlf.bin estate.camarch\n"
                      "run build estate.camarch -o out\n" + script)
        else:
            make = estate(data)
            script = "run build estate.camarch -o out\n" + script
        yield "lex-" + name, script, make

    # the file ends inside something
    head = b'estate "acme" {\n  version = "8.8"\n  target = helm\n'
    closed = head + b"}\n"
    for name, data in [
        ("string", head + b'  namespace = "abc'),
        ("string-backslash", head + b'  namespace = "abc\\'),
        ("interpolation", head + b'  namespace = "${abc'),
        ("interpolation-open", head + b'  namespace = "${'),
        ("quote", closed + b'"'),
        ("block", head),
        ("block-after-attribute", head + b"  orchestration {\n    brokers = 3"),
        ("list", head + b'  orchestration { zones = ["a", '),
        ("call", head + b"  license = secret("),
        ("call-argument", head + b'  license = secret("x", key ='),
        ("block-comment", closed + b"/* never closed"),
        ("block-comment-star", closed + b"/* almost closed *"),
        ("slash", closed + b"/"),
        ("environment", closed + b"environment"),
        ("environment-label", closed + b'environment "dev"'),
        ("let", closed + b"let x ="),
        ("import", closed + b"import"),
        ("import-path", closed + b'import "./'),
    ]:
        yield ("lex-eof-in-" + name, "# the file ends inside it\nrun check estate.camarch\nexit 1\nloc estate.camarch\n",
               estate(data))

    # huge labels
    yield ("lex-huge-environment-label", "run build estate.camarch -o out\nexit 1\nloc estate.camarch:5\n",
           estate(HELM.replace(b'"dev"', b'"' + b"d" * (1 << 20) + b'"')))
    yield ("lex-huge-host-label", "run build estate.camarch -o out\nexit 1\nloc estate.camarch:8\n",
           estate(SYSTEMD.replace(b'"node1"', b'"' + b"n" * (1 << 20) + b'"')))
    yield ("lex-huge-allow-label", "run check estate.camarch\nexit 1\nloc estate.camarch:3\n",
           estate(HELM.replace(b'  version = "8.8"\n', b'  version = "8.8"\n  allow "' + b"Z" * (1 << 20)
                               + b'" { reason = "x" }\n')))


# --- truncated estates: prefixes of the repository's own ---------------------

TRUNCATE = ["examples/acme/estate.camarch", "examples/compose/estate.camarch", "examples/systemd/estate.camarch",
            "tests/golden/compose-full/estate.camarch", "tests/golden/systemd-full/estate.camarch",
            "tests/golden/build-dual-region/estate.camarch", "tests/golden/build-ingress/estate.camarch",
            "tests/golden/build-oidc-clients/estate.camarch", "tests/golden/build-platform/estate.camarch"]


def cut_points(data):
    """Offsets inside a block (depth > 0, outside strings and comments), and inside strings."""
    inside, in_string = [], []
    depth, i, n = 0, 0, len(data)
    while i < n:
        c = data[i:i + 1]
        if c == b'"':
            j = i + 1
            while j < n and data[j:j + 1] not in (b'"', b"\n"):
                j += 2 if data[j:j + 1] == b"\\" else 1
            if j - i > 3:
                in_string.append(i + 2)
            i = j + 1
            continue
        if data[i:i + 2] == b"//" or c == b"#":
            i = data.find(b"\n", i)
            i = n if i < 0 else i
            continue
        if data[i:i + 2] == b"/*":
            j = data.find(b"*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c in b"{[(":
            depth += 1
        elif c in b"}])":
            depth -= 1
        if depth > 0 and c not in b"{[(":
            inside.append(i)
        i += 1
    return inside, in_string


def truncated_cases():
    for src in TRUNCATE:
        label = src.split("/")[-2] if src.endswith("/estate.camarch") else src
        def make_for(off, src=src):
            def make(work, ctx):
                with open(os.path.join(ctx.root, src), "rb") as f:
                    data = f.read()
                write(os.path.join(work, "estate.camarch"), data[:off])
                platform = os.path.join(ctx.root, os.path.dirname(src), "platform")
                if os.path.isdir(platform):  # examples/acme's imports
                    for n in os.listdir(platform):
                        with open(os.path.join(platform, n), "rb") as f:
                            write(os.path.join(work, "platform", n), f.read())
            return make
        # the cut points depend on the file, which is read when the corpus is listed
        here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", src)
        with open(here, "rb") as f:
            inside, in_string = cut_points(f.read())
        picks = [inside[len(inside) * k // 5] for k in range(1, 5)] if len(inside) >= 5 else inside
        for k, off in enumerate(picks):
            yield ("lex-truncated-%s-%d" % (label, k + 1),
                   "# %s cut after %d bytes, inside a block\nrun build estate.camarch -o out\nexit 1\nloc estate.camarch\n"
                   % (src, off), make_for(off))
        if in_string:
            off = in_string[len(in_string) // 2]
            yield ("lex-truncated-%s-in-string" % label,
                   "# %s cut after %d bytes, inside a string\nrun check estate.camarch\nexit 1\nloc estate.camarch\n"
                   % (src, off), make_for(off))


# --- scale -------------------------------------------------------------------

def lets(n, backwards=False, form="plain"):
    def make(work, ctx):
        out = [b'let a0 = "camunda"\n']
        for i in range(1, n):
            if form == "interp":
                out.append(b'let a%d = "${a%d}"\n' % (i, i - 1))
            elif form == "object":
                out.append(b"let a%d = { v = a%d.v }\n" % (i, i - 1) if i > 1 else b"let a1 = { v = a0 }\n")
            else:
                out.append(b"let a%d = a%d\n" % (i, i - 1))
        if form == "cycle":
            out[0] = b"let a0 = a%d\n" % (n - 1)
        if backwards:
            out.reverse()
        ref = b"a%d.v" % (n - 1) if form == "object" else b"a%d" % (n - 1)
        out.append(b'estate "acme" {\n  version = "8.8"\n  target = helm\n  namespace = ' + ref + b"\n}\n")
        write(os.path.join(work, "estate.camarch"), b"".join(out))
    return make


def import_chain(n, cycle=False):
    def make(work, ctx):
        write(os.path.join(work, "estate.camarch"), b'import "./m/f1.camarch"\n' + HELM)
        for i in range(1, n + 1):
            nxt = (b'import "../estate.camarch"\n' if cycle else b"") if i == n else b'import "./f%d.camarch"\n' % (i + 1)
            write(os.path.join(work, "m", "f%d.camarch" % i), nxt + b"let v = %d\n" % i)
    return make


def import_wide(n):
    def make(work, ctx):
        head = b"".join(b'import "./m/f%d.camarch"\n' % i for i in range(n))
        write(os.path.join(work, "estate.camarch"), head + HELM)
        for i in range(n):
            write(os.path.join(work, "m", "f%d.camarch" % i), b"let v = %d\n" % i)
    return make


def nested(n, opener, closer, allowed=False):
    def make(work, ctx):
        body = opener * n + b'"x"' + closer * n
        write(os.path.join(work, "estate.camarch"), b"let deep = " + body + b"\n" + HELM)
    return make


def big_list(n, item):
    def make(work, ctx):
        k = n // ctx.scale
        write(os.path.join(work, "estate.camarch"),
              b"let big = [" + b", ".join([item] * k) + b"]\n" + HELM)
    return make


def long_line(kind):
    def make(work, ctx):
        k = (10 << 20) // ctx.scale
        if kind == "comment":
            data = b"// " + b"x" * k + b"\n" + HELM
        elif kind == "string":
            data = b'let s = "' + b"x" * k + b'"\n' + HELM
        elif kind == "java-opts":
            data = HELM.replace(b'version = "8.8"', b'version = "8.8"\n  orchestration { java_opts = "-D' + b"x" * k + b'" }')
        elif kind == "identifier":
            data = b"let " + b"x" * k + b" = 1\n" + HELM
        else:  # characters the language refuses, all on one line
            data = HELM + b";" * k + b"\n"
        write(os.path.join(work, "estate.camarch"), data)
    return make


def many_envs(n, target=b"helm"):
    def make(work, ctx):
        k = n // ctx.scale
        envs = b"".join(b'environment "e%d" {\n  target = %s\n  namespace = "ns-%d"\n}\n' % (i, target, i) for i in range(k))
        base = HELM if target == b"helm" else COMPOSE
        write(os.path.join(work, "estate.camarch"), base[:base.index(b"\nenvironment")] + b"\n" + envs)
    return make


def many_users(n):
    def make(work, ctx):
        users = b"".join(b'    user "u%d" { password = secret("users", key = "u%d"), roles = ["admin"] }\n' % (i, i)
                         for i in range(n // ctx.scale))
        write(os.path.join(work, "estate.camarch"),
              b'estate "acme" {\n  version = "8.8"\n  identity {\n    method = basic\n' + users + b"  }\n}\n"
              b'environment "dev" { target = helm }\n')
    return make


def digits(field, value):
    return estate(HELM.replace(b'version = "8.8"', b'version = "8.8"\n  orchestration { ' + field + b" = " + value + b" }"))


def scale_cases():
    ok = "exit 0\n"
    yield "scale-lets-100k-forward", "# each let refers to the one before\nrun check estate.camarch\n" + ok, lets(100000)
    yield "scale-lets-100k-backward", "# declared in the opposite order\nrun check estate.camarch\n" + ok, lets(100000, True)
    yield "scale-lets-100k-build", "run build estate.camarch -o out\n" + ok + "grep out/default/README.md camunda\n", lets(100000)
    yield "scale-lets-100k-interpolated", "run check estate.camarch\n" + ok, lets(100000, form="interp")
    yield "scale-lets-100k-objects", "run check estate.camarch\n" + ok, lets(100000, True, form="object")
    yield ("scale-lets-100k-cycle", "# a cycle through 100,000 lets: found, in bounded stack\nrun check estate.camarch\n"
           "exit 1\nloc estate.camarch NAM003\n", lets(100000, form="cycle"))
    yield "scale-imports-10k-chain", "run build estate.camarch -o out\n" + ok, import_chain(10000)
    yield ("scale-imports-10k-cycle", "run check estate.camarch\nexit 1\nloc * IMP002\n", import_chain(10000, cycle=True))
    yield "scale-imports-10k-wide", "# one file importing 10,000\nrun check estate.camarch\n" + ok, import_wide(10000)
    for name, o, c in (("lists", b"[", b"]"), ("objects", b"{ a = ", b" }"), ("calls", b"secret(", b")"),
                       ("parens", b"(", b")")):
        yield ("scale-nesting-100k-%s" % name, "# 100,000-deep: refused, located, no stack overflow\n"
               "run check estate.camarch\nexit 1\nloc estate.camarch:1\n", nested(100000, o, c))
    yield ("scale-nesting-100k-blocks", "run check estate.camarch\nexit 1\nloc estate.camarch\n",
           estate(b'estate "acme" {\n  version = "8.8"\n  target = helm\n  orchestration ' + b"{ x " * 100000
                  + b"}" * 100000 + b"\n}\n"))
    yield ("scale-nesting-100k-unclosed", "run check estate.camarch\nexit 1\nloc estate.camarch\n",
           estate(HELM + b"let deep = " + b"[" * 100000))
    for name, o, c in (("lists", b"[", b"]"), ("objects", b"{ a = ", b" }"), ("mixed", b"[{ a = ", b" }]")):
        yield ("scale-nesting-allowed-%s" % name, "# 32 levels: deep, but fine\nrun check estate.camarch\n" + ok,
               nested(32, o, c, allowed=True))
    yield "scale-list-1m-strings", "run check estate.camarch\n" + ok, big_list(1000000, b'"eu-west-1a"')
    yield "scale-list-1m-numbers", "run check estate.camarch\n" + ok, big_list(1000000, b"64Gi")
    yield ("scale-list-1m-zones", "# a million zones for three brokers: an error, not a hang\nrun check estate.camarch\n"
           "exit 0|1\nloc?\n", lambda work, ctx: write(os.path.join(work, "estate.camarch"),
           HELM.replace(b'version = "8.8"', b'version = "8.8"\n  orchestration { zones = ['
                        + b", ".join([b'"z%d"' % i for i in range(1000000 // ctx.scale)]) + b"] }")))
    yield ("scale-list-1m-in-output", "# a million pull Secrets reach the values six times (global and each bundled\n"
           "# subchart): memory grows with the output, not faster\nrss 2048\nrun check estate.camarch\n"
           "exit 0|1\nloc?\n", lambda work, ctx: write(os.path.join(work, "estate.camarch"),
           HELM.replace(b'version = "8.8"', b'version = "8.8"\n  images { pull_secrets = ['
                        + b", ".join([b'"pull"'] * (1000000 // ctx.scale)) + b"] }")))
    for kind in ("comment", "string", "identifier"):
        yield "scale-line-10mb-%s" % kind, "run check estate.camarch\n" + ok, long_line(kind)
    yield "scale-line-10mb-java-opts", "run build estate.camarch -o out\n" + ok, long_line("java-opts")
    yield ("scale-line-10mb-refused", "# ten million characters the language refuses\nrun check estate.camarch\n"
           "exit 1\nloc estate.camarch:8 SYN003\n", long_line("bad"))
    thousands = b"9" * 5000
    for name, field, value in (("integer", b"brokers", thousands), ("negative", b"brokers", b"-" + thousands),
                               ("size", b"disk", thousands + b"Gi"), ("fraction", b"disk", b"1." + thousands + b"Gi"),
                               ("small-fraction", b"resources", b"{ cpu = 0." + b"0" * 5000 + b"1 }"),
                               ("zeros-integer", b"brokers", b"0" * 5000 + b"3"),
                               ("long-fraction-integer", b"brokers", b"3." + b"0" * 5000)):
        script = "run check estate.camarch\nexit 1\nloc estate.camarch:3\n"
        if name == "zeros-integer":  # 007 is 7: five thousand zeros and a 3 are three brokers
            script = "run check estate.camarch\nexit 0\n"
        yield "scale-number-5000-digits-%s" % name, script, digits(field, value)
    # a plain value's mistake is reported where it is used, and this let is not used
    yield ("scale-number-5000-digits-let", "run check estate.camarch\nexit 0\n",
           estate(b"let n = " + thousands + b"\n" + HELM))
    yield "scale-environments-2000-check", "run check estate.camarch\n" + ok, many_envs(2000)
    yield ("scale-environments-1000-build", "run build estate.camarch -o out\n" + ok + "exists out/e0/values.yaml\n",
           many_envs(1000))
    yield "scale-environments-200-compose", "timeout 20\nrun build estate.camarch -o out\n" + ok, many_envs(200, b"compose")
    yield "scale-users-5000", "run build estate.camarch -o out\n" + ok, many_users(5000)
    yield ("scale-errors-100k-lines", "# a hundred thousand bad lines: reported, capped, quickly\nrun check estate.camarch\n"
           "exit 1\nloc estate.camarch\n", estate(HELM + b"oops = ;\n" * 100000))


# --- crash: every optional block, empty, on every target ------------------------

OPTIONAL = [
    ("connectors", b"connectors {}"), ("optimize", b"optimize {}"), ("web-modeler", b"web_modeler {}"),
    ("console", b"console {}"), ("management-identity", b"management_identity {}"), ("ingress", b"ingress {}"),
    ("ingress-grpc", b'ingress {\n    host = "camunda.acme.example"\n    grpc {}\n  }'), ("backup", b"backup {}"),
    ("backup-s3", b"backup { s3 {} }"), ("backup-gcs", b"backup { gcs {} }"), ("backup-azure", b"backup { azure {} }"),
    ("backup-filesystem", b"backup { filesystem {} }"), ("mail", b"web_modeler { mail {} }"), ("upgrade", b"upgrade {}"),
]


def crash_cases():
    for target, base in BASES.items():
        for name, block in OPTIONAL:
            data = base.replace(b'  version = "8.8"\n', b'  version = "8.8"\n  ' + block + b"\n", 1)
            yield ("crash-empty-%s-%s" % (name, target),
                   "# an empty optional block: checked and built, or refused where it is; never a crash\n"
                   "run build estate.camarch -o out\nexit 0|1\nloc?\nnogrep out \\(null\\)\n", estate(data))
        every = (b"connectors {}\n  optimize {}\n  web_modeler { mail {} }\n  console {}\n  management_identity {}\n"
                 b"  ingress { grpc {} }\n  upgrade {}\n  backup {\n    s3 {}\n    gcs {}\n    azure {}\n    filesystem {}\n  }")
        data = base.replace(b'  version = "8.8"\n', b'  version = "8.8"\n  ' + every + b"\n", 1)
        yield ("crash-empty-everything-%s" % target, "run build estate.camarch -o out\nexit 0|1\nloc?\n", estate(data))


def cases():
    yield from lex_cases()
    yield from truncated_cases()
    yield from scale_cases()
    yield from crash_cases()

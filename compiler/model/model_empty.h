/* model_empty.h - before an X-macro expansion of model.def: defines as
 * nothing each of model.def's macros the expansion has not defined, so an
 * expansion names only the rows it reads.  model_undef.h ends it. */
#ifndef STRUCT
#define STRUCT(...)
#endif
#ifndef END
#define END(...)
#endif
#ifndef INT
#define INT(...)
#endif
#ifndef SIZE
#define SIZE(...)
#endif
#ifndef CPU
#define CPU(...)
#endif
#ifndef DUR
#define DUR(...)
#endif
#ifndef BOOL
#define BOOL(...)
#endif
#ifndef STR
#define STR(...)
#endif
#ifndef NAME
#define NAME(...)
#endif
#ifndef ENUM
#define ENUM(...)
#endif
#ifndef STRLIST
#define STRLIST(...)
#endif
#ifndef ENVMAP
#define ENVMAP(...)
#endif
#ifndef SECMAP
#define SECMAP(...)
#endif
#ifndef SECRET
#define SECRET(...)
#endif
#ifndef SECSTR
#define SECSTR(...)
#endif
#ifndef BLOCK
#define BLOCK(...)
#endif
#ifndef COMPONENT
#define COMPONENT(...)
#endif
#ifndef VARIANT
#define VARIANT(...)
#endif
#ifndef LIST
#define LIST(...)
#endif
#ifndef ON
#define ON(...)
#endif

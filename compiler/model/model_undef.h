/* model_undef.h - ends an X-macro expansion of model.def: undefines the
 * field macros, so the next expansion can define them anew. */
#undef STRUCT
#undef END
#undef INT
#undef SIZE
#undef CPU
#undef DUR
#undef BOOL
#undef STR
#undef NAME
#undef ENUM
#undef STRLIST
#undef ENVMAP
#undef SECMAP
#undef SECRET
#undef SECSTR
#undef BLOCK
#undef COMPONENT
#undef VARIANT
#undef LIST
#undef ON

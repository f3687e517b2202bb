#!/bin/sh
# make_dict.sh MODEL_DEF ENUMS_DEF BASE_DICT - the libFuzzer dictionary:
# the hand-written tokens of BASE_DICT, then every field and block name of
# the model and every enum value, so mutations write words the compiler
# knows (the table is the model itself, never a copy of it).
set -eu
model=$1 enums=$2 base=$3
cat "$base"
echo "# generated from model.def and model_enums.def"
{
  sed -n 's/^  [A-Z]*(\([a-z_]*\), *\([a-z_0-9]*\),.*/\2/p' "$model"
  sed -n 's/^STRUCT(\([a-z_]*\),.*/\1/p' "$model"
  sed -n 's/^ENUM(\([a-z_]*\), *\([a-z_0-9]*\),.*/\2/p' "$enums"
} | grep . | sort -u | sed 's/.*/"&"/'

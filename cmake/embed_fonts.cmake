# Writes a C++ source holding the UI font files as byte arrays (run with cmake -P).
function(pb_embed_font path symbol out_var)
  file(READ "${path}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR byte_count "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
  set(${out_var} "alignas(4) const unsigned char ${symbol}[${byte_count}] = {\n${bytes}\n};\nconst unsigned int ${symbol}_size = ${byte_count};\n" PARENT_SCOPE)
endfunction()

pb_embed_font("${REGULAR}" kUiFontRegular regular)
pb_embed_font("${BOLD}" kUiFontBold bold)
file(WRITE "${OUTPUT}.tmp" "// Generated from the Debian fonts-inter package by cmake/embed_fonts.cmake.\n#include \"ui/fonts.hpp\"\nnamespace pb::ui {\n${regular}${bold}}  // namespace pb::ui\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")

# Writes OUT: one `{"name", R"(text)"},` entry per file of FILES (read from
# DIR), so that C++ code can hold the files' text in an array.
set(body "")
foreach(name ${FILES})
  file(READ ${DIR}/${name} text)
  string(APPEND body "{\"${name}\", R\"pyaket_embed(${text})pyaket_embed\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "${body}")
file(RENAME ${OUT}.tmp ${OUT})

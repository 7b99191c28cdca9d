# Writes OUT: one `{"name", R"(text)"},` entry per profile in NAMES, read from DIR/name.toml.
set(body "")
foreach(name ${NAMES})
  file(READ ${DIR}/${name}.toml text)
  string(APPEND body "{\"${name}\", R\"pyaket_profile(${text})pyaket_profile\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "${body}")
file(RENAME ${OUT}.tmp ${OUT})

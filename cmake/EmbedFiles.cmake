# pyaket_embed_files(TARGET OUT FILES...): a target that writes OUT (see
# Embed.cmake) from FILES of the current source directory, again whenever
# one of them changes.
function(pyaket_embed_files target out)
  set(paths)
  foreach(name ${ARGN})
    list(APPEND paths ${CMAKE_CURRENT_SOURCE_DIR}/${name})
  endforeach()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} "-DFILES=${ARGN}" -DDIR=${CMAKE_CURRENT_SOURCE_DIR}
            -DOUT=${out} -P ${PROJECT_SOURCE_DIR}/cmake/Embed.cmake
    DEPENDS ${paths} ${PROJECT_SOURCE_DIR}/cmake/Embed.cmake
    COMMENT "Embedding ${out}" VERBATIM)
  add_custom_target(${target} DEPENDS ${out})
endfunction()

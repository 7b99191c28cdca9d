//===- NoPayloads.cpp - the payload bounds, for linking the launcher's reader -===//
//
// stub/Payload.cpp reads its sections through the bounds that the linker
// defines for pyaket_config, pyaket_uv and pyaket_wheels. A harness has no
// such sections and never reads them: empty ones let it link.
//
//===----------------------------------------------------------------------===//

extern "C" const unsigned char __start_pyaket_config[1] = {}, __stop_pyaket_config[1] = {};
extern "C" const unsigned char __start_pyaket_uv[1] = {}, __stop_pyaket_uv[1] = {};
extern "C" const unsigned char __start_pyaket_wheels[1] = {}, __stop_pyaket_wheels[1] = {};

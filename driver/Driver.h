//===- Driver.h - pyaket-cc from arguments to exit code ---------*- C++ -*-===//
#ifndef PYAKET_DRIVER_DRIVER_H
#define PYAKET_DRIVER_DRIVER_H

namespace pyaket {

/// Everything `pyaket-cc` does, from its arguments to its exit code.
int driverMain(int Argc, const char **Argv);

} // namespace pyaket

#endif

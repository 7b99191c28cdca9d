//===- SelfCheck.h - `<app> self check [--repair]` --------------*- C++ -*-===//
#ifndef PYAKET_STUB_SELFCHECK_H
#define PYAKET_STUB_SELFCHECK_H

#include "Install.h"

namespace pyaket {

/// Verifies this build's venv: installed, its python runs, and the app's
/// distributions (bundled wheels, PyPI requirements) are there with every
/// file their RECORD lists. With --repair, reinstalls when it is not.
int selfCheck(const Config &C, const InstallPaths &P, int Argc, char **Argv);

} // namespace pyaket

#endif

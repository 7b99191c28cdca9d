//===- WindowsResource.h - the Windows launcher's .res file -----*- C++ -*-===//
//
// A Windows executable shows an icon and a version (Explorer's Details tab)
// from its resources. pyaket-cc writes them as a .res file (the 32-bit
// resource file format that rc.exe writes), which LLD links like an object:
// a version resource always, and the icon's images and group when the
// project names an .ico file.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_WINDOWSRESOURCE_H
#define PYAKET_DRIVER_WINDOWSRESOURCE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>

namespace pyaket {

/// What the version resource says.
struct VersionInfo {
  std::string Name;        // ProductName, InternalName
  std::string Description; // FileDescription
  std::string Company;     // CompanyName
  std::string Version;     // ProductVersion, FileVersion; its numbers fill the fixed part
  std::string FileName;    // OriginalFilename
};

/// The .res file: the version resource, and the icon \p Icon (an .ico
/// file's bytes, or empty for none) as RT_ICON images and one RT_GROUP_ICON.
/// An .ico that does not read is an error naming \p IconName.
llvm::Expected<std::string> windowsResources(const VersionInfo &Version, llvm::StringRef Icon,
                                             llvm::StringRef IconName);

} // namespace pyaket

#endif

#include "shapes.h"
#include <sstream>

std::string describe(const Shape &S) {
  std::ostringstream OS;
  OS << S.name() << " of area " << S.area();
  return OS.str();
}

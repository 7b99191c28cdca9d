#include "shapes.h"
#include <iostream>
#include <stdexcept>

int main() {
  for (const auto &S : makeShapes())
    std::cout << describe(*S) << "\n";
  try {
    throw std::runtime_error("exceptions work");
  } catch (const std::exception &E) {
    std::cout << E.what() << "\n";
  }
  return 0;
}

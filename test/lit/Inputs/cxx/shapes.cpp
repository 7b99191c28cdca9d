#include "shapes.h"

namespace {
struct Square : Shape {
  double Side;
  explicit Square(double Side) : Side(Side) {}
  double area() const override { return Side * Side; }
  std::string name() const override { return "square"; }
};
struct Circle : Shape {
  double Radius;
  explicit Circle(double Radius) : Radius(Radius) {}
  double area() const override { return 3.0 * Radius * Radius; }
  std::string name() const override { return "circle"; }
};
} // namespace

std::vector<std::unique_ptr<Shape>> makeShapes() {
  std::vector<std::unique_ptr<Shape>> Shapes;
  Shapes.push_back(std::make_unique<Square>(3));
  Shapes.push_back(std::make_unique<Circle>(2));
  return Shapes;
}

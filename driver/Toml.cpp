//===- Toml.cpp - reading TOML files with positions in errors -------------===//
#include "Toml.h"
#include "Diagnostics.h"

using namespace llvm;

namespace pyaket {

Error tomlKeyError(StringRef Source, const toml::source_region &Where, const Twine &Key,
                   const Twine &What) {
  return makeError(Source + ":" + Twine(Where.begin.line) + ":" + Twine(Where.begin.column) +
                   ": key '" + Key + "': " + What);
}

Expected<toml::table> parseToml(StringRef Text, StringRef Source) {
  toml::parse_result Parsed = toml::parse(std::string_view(Text.data(), Text.size()));
  if (!Parsed) {
    const toml::source_position &At = Parsed.error().source().begin;
    return makeError(Source + ":" + Twine(At.line) + ":" + Twine(At.column) + ": " +
                     std::string(Parsed.error().description()));
  }
  return std::move(Parsed).table();
}

Error readStringList(StringRef Source, const toml::node &Value, const Twine &Key,
                     std::vector<std::string> &Out) {
  const toml::array *Items = Value.as_array();
  if (!Items || (!Items->empty() && !Items->is_homogeneous(toml::node_type::string)))
    return tomlKeyError(Source, Value.source(), Key, "must be a list of strings");
  Out.clear();
  for (const toml::node &Item : *Items)
    Out.push_back(*Item.value<std::string>());
  return Error::success();
}

} // namespace pyaket

// Collection sources: a root directory, a facts file, and the recorder that writes one.
#include <fstream>
#include <sstream>

#include "compliance/oval/engine.h"
#include "scanner/collectors/facts.h"
#include "scanner/collectors/registry.h"

namespace vigil::compliance::oval {
namespace {

class RootSource : public CollectionSource {
 public:
  explicit RootSource(const std::string& dir) : root_(dir), ctx_(root_) {}
  scanner::Collection collect(const std::string&, const scanner::ObjectQuery& q) override {
    if (!root_.ok())
      return scanner::Collection::with_flag(scanner::Flag::kError,
                                            "cannot open root " + root_.dir());
    return scanner::collect(q, ctx_);
  }

 private:
  scanner::fs::Root root_;
  scanner::CollectContext ctx_;
};

class FactsSource : public CollectionSource {
 public:
  std::map<std::string, scanner::Collection> by_key;
  scanner::Collection collect(const std::string& id, const scanner::ObjectQuery& q) override {
    auto it = by_key.find(id + "\n" + q.canonical());
    if (it == by_key.end())
      return scanner::Collection::with_flag(scanner::Flag::kNotCollected,
                                            "object " + id + " not in the facts file");
    return it->second;
  }
};

}  // namespace

std::unique_ptr<CollectionSource> root_source(const std::string& root_dir) {
  return std::make_unique<RootSource>(root_dir);
}

Result<std::unique_ptr<CollectionSource>> facts_source(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, "cannot open facts file"};
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{path, "facts file is not valid JSON"};
  if (j.value("format", "") != scanner::kFactsFormat)
    return Error{path,
                 std::string("not a facts file (format must be ") + scanner::kFactsFormat + ")"};
  auto src = std::make_unique<FactsSource>();
  if (!j.contains("collected") || !j["collected"].is_array())
    return Error{path, "facts file without 'collected'"};
  std::size_t n = 0;
  for (const auto& e : j["collected"]) {
    ++n;
    if (!e.is_object() || !e.contains("object_id") || !e["object_id"].is_string() ||
        !e.contains("query") || !e["query"].is_string() || !e.contains("collection"))
      return Error{path, "collected entry " + std::to_string(n) + " is malformed"};
    auto c = scanner::collection_from_json(e["collection"]);
    if (!c) return Error{path, "collected entry " + std::to_string(n) + ": " + c.error().what};
    src->by_key[e["object_id"].get<std::string>() + "\n" + e["query"].get<std::string>()] =
        std::move(*c);
  }
  return std::unique_ptr<CollectionSource>(std::move(src));
}

RecordingSource::RecordingSource(CollectionSource& inner, std::string root)
    : inner_(inner), root_(std::move(root)) {}

scanner::Collection RecordingSource::collect(const std::string& id, const scanner::ObjectQuery& q) {
  scanner::Collection c = inner_.collect(id, q);
  records_[id + "\n" + q.canonical()] = {id, c};
  return c;
}

Status RecordingSource::write(const std::string& path) const {
  nlohmann::json j;
  j["format"] = scanner::kFactsFormat;
  j["root"] = root_;
  auto& arr = j["collected"] = nlohmann::json::array();
  for (const auto& [key, rec] : records_) {
    nlohmann::json e;
    e["object_id"] = rec.first;
    e["query"] = key.substr(key.find('\n') + 1);
    e["collection"] = scanner::collection_to_json(rec.second);
    arr.push_back(std::move(e));
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error{path, "cannot write facts file"};
  out << j.dump(1) << '\n';
  if (!out) return Error{path, "write failed"};
  return ok_status();
}

}  // namespace vigil::compliance::oval

// Public API of the OVAL engine — the contract the XCCDF mapper (compliance/xccdf)
// and the CLI use. Keep it stable.
//
//   auto doc = oval::load_file("ssg-ubuntu2204-oval.xml");          // or load_node()
//   auto src = oval::root_source("/mnt/host");                      // or facts_source()
//   oval::Engine eng(*doc, *src, {{"oval:ssg-var_x:var:1", {"600"}}});
//   oval::DefinitionResult r = eng.evaluate("oval:ssg-foo:def:1");
//   r.result == oval::OvalResult::kTrue ...; r.tests[i].items[j].file / .line = evidence
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compliance/oval/loader.h"
#include "compliance/oval/model.h"
#include "core/util/result.h"
#include "scanner/collectors/types.h"

namespace vigil::compliance::oval {

// true, false, unknown, error, not evaluated, not applicable (to_string gives the
// OVAL spelling, e.g. "not applicable").
using OvalResult = scanner::Tri;
using scanner::to_string;

// External variable values by variable id (XCCDF check-export / --var).
using ExternalValues = std::map<std::string, std::vector<std::string>>;

struct ItemEvidence {
  std::string type;                               // "textfilecontent_item"
  std::string status;                             // "exists", "error"...
  OvalResult result = OvalResult::kNotEvaluated;  // item vs the test's states
  std::string file;                               // where the item came from, when known
  int line = 0;                                   // 1-based line in `file`, when known
  std::vector<std::pair<std::string, std::string>> fields;
  std::string message;
};

struct TestEvidence {
  std::string test_id;
  std::string test_type;
  std::string comment;
  std::string object_id;
  OvalResult result = OvalResult::kUnknown;
  std::string flag;                   // collected object flag ("complete", "does not exist"...)
  std::vector<ItemEvidence> items;    // the first evidence_limit items (see Engine)
  std::size_t items_total = 0;        // items the test examined, including those not kept
  std::vector<std::string> messages;  // why: unsupported object, variable without value...
};

struct DefinitionResult {
  std::string id;
  std::string title;
  OvalResult result = OvalResult::kUnknown;
  std::vector<TestEvidence> tests;  // every test reached (criteria and extended definitions)
  std::string message;              // e.g. unknown definition id
};

// Where collected items come from.
class CollectionSource {
 public:
  virtual ~CollectionSource() = default;
  virtual scanner::Collection collect(const std::string& object_id,
                                      const scanner::ObjectQuery& query) = 0;
};

// Collects from a root directory ("/" = the live system, anything else = offline).
std::unique_ptr<CollectionSource> root_source(const std::string& root_dir);
// Replays a facts file written by a RecordingSource / `vigil scan --facts`.
Result<std::unique_ptr<CollectionSource>> facts_source(const std::string& facts_path);

// Wraps a source and remembers every collection, to be written as a facts file.
class RecordingSource : public CollectionSource {
 public:
  explicit RecordingSource(CollectionSource& inner, std::string root = "/");
  scanner::Collection collect(const std::string& object_id,
                              const scanner::ObjectQuery& query) override;
  Status write(const std::string& facts_path) const;
  std::size_t size() const { return records_.size(); }

 private:
  CollectionSource& inner_;
  std::string root_;
  std::map<std::string, std::pair<std::string, scanner::Collection>> records_;  // key -> (id, c)
};

class Engine {
 public:
  Engine(const Document& doc, CollectionSource& source, ExternalValues external = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Keeps at most this many items per test as evidence (default: all). Callers that show
  // only a few (XCCDF evidence, the CLI without --results) save copying thousands of file
  // items per walk; items_total still counts them all.
  void set_evidence_limit(std::size_t max_items_per_test);

  // Evaluates one definition (results are cached across calls: one collection per object).
  DefinitionResult evaluate(const std::string& definition_id);
  // Every definition, in document order.
  std::vector<DefinitionResult> evaluate_all();

  const Document& document() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::compliance::oval

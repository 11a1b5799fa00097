#include "core/yara/rule_match.h"

// After nlohmann: libyara defines macros that collide with its lexer.
#include <yara.h>

namespace vigil::core::yara {

RuleMatch describe_rule(const YR_RULE* rule) {
  RuleMatch m;
  m.rule = rule->identifier;
  // libyara puts a rule compiled without a namespace in "default".
  m.ns = rule->ns && rule->ns->name ? rule->ns->name : "default";
  const char* tag;
  yr_rule_tags_foreach(rule, tag) {
    m.tags.emplace_back(tag);
  }
  const YR_META* meta;
  yr_rule_metas_foreach(rule, meta) {
    if (m.meta.contains(meta->identifier)) continue;
    if (meta->type == META_TYPE_INTEGER)
      m.meta[meta->identifier] = meta->integer;
    else if (meta->type == META_TYPE_BOOLEAN)
      m.meta[meta->identifier] = meta->integer != 0;
    else
      m.meta[meta->identifier] = meta->string ? meta->string : "";
  }
  return m;
}

}  // namespace vigil::core::yara

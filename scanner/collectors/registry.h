// OVAL object type -> collector (the table lives in collector_list.h).
// variable_object is not here: its items come from the OVAL document itself and are
// produced by the engine (compliance/oval).
#pragma once

#include <string_view>
#include <vector>

#include "scanner/collectors/context.h"

namespace vigil::scanner {

#define VIGIL_COLLECTOR(type, fn) Collection fn(const ObjectQuery&, CollectContext&);
#include "scanner/collectors/collector_list.h"
#undef VIGIL_COLLECTOR

// nullptr when no collector exists for the type.
CollectFn find_collector(std::string_view object_type);
std::vector<std::string_view> collector_types();

// Runs the collector for q.type; an unknown type gives flag "not collected" with a reason.
Collection collect(const ObjectQuery& q, CollectContext& ctx);

}  // namespace vigil::scanner

// Everything a sensor run is configured with; defaults are the documented ones.
#pragma once

#include "sensor/decode/defrag.h"
#include "sensor/engine/hooks.h"
#include "sensor/flow/flow_table.h"
#include "sensor/output/emitter.h"
#include "sensor/protocols/http/body_decoder.h"
#include "sensor/stream/tcp_reassembler.h"

namespace vigil::sensor {

struct SensorConfig {
  Identity identity;
  FlowConfig flow;
  StreamConfig stream;
  DefragConfig defrag;
  HttpBodyConfig http_body;
  bool emit_flows = true;
  HooksFactory hooks;  // optional (part 2: detections)
};

}  // namespace vigil::sensor

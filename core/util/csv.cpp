#include "core/util/csv.h"

namespace vigil {

void append_csv_cell(std::string& out, std::string_view value) {
  const bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                                          value[0] == '@' || value[0] == '\t' || value[0] == '\r');
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    if (formula) out.push_back('\'');
    out.append(value);
    return;
  }
  out.push_back('"');
  if (formula) out.push_back('\'');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string csv_cell(std::string_view value) {
  std::string out;
  append_csv_cell(out, value);
  return out;
}

std::string csv_row(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out.push_back(',');
    append_csv_cell(out, cells[i]);
  }
  out += "\r\n";
  return out;
}

}  // namespace vigil

// RFC 4180 CSV cells with spreadsheet formula neutralisation: a cell starting
// with = + - @ TAB or CR is prefixed with a single quote (OWASP CSV injection).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil {

std::string csv_cell(std::string_view value);
// The same cell appended to `out` (an export writes millions: no string each).
void append_csv_cell(std::string& out, std::string_view value);
std::string csv_row(const std::vector<std::string>& cells);  // ends with "\r\n"

}  // namespace vigil

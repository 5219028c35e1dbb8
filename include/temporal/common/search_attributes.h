// Typed search attributes: indexed fields of a workflow that visibility queries filter on.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "temporal/common/errors.h"

namespace temporal {

/// The index type of a search attribute (wire enum IndexedValueType).
enum class SearchAttributeType { kText = 1, kKeyword = 2, kInt = 3, kDouble = 4, kBool = 5, kDatetime = 6, kKeywordList = 7 };

/// One typed value. Build with the factories: SearchAttributeValue::keyword("gold").
struct SearchAttributeValue {
  using Time = std::chrono::system_clock::time_point;
  SearchAttributeType type = SearchAttributeType::kKeyword;
  std::variant<std::string, int64_t, double, bool, Time, std::vector<std::string>> value{};

  static SearchAttributeValue text(std::string v) { return {SearchAttributeType::kText, std::move(v)}; }
  static SearchAttributeValue keyword(std::string v) { return {SearchAttributeType::kKeyword, std::move(v)}; }
  static SearchAttributeValue integer(int64_t v) { return {SearchAttributeType::kInt, v}; }
  static SearchAttributeValue floating(double v) { return {SearchAttributeType::kDouble, v}; }
  static SearchAttributeValue boolean(bool v) { return {SearchAttributeType::kBool, v}; }
  static SearchAttributeValue datetime(Time v) { return {SearchAttributeType::kDatetime, v}; }
  static SearchAttributeValue keyword_list(std::vector<std::string> v) {
    return {SearchAttributeType::kKeywordList, std::move(v)};
  }

  /// The value as the type asked for; DataConverterError if it holds another.
  const std::string& as_string() const { return get<std::string>("a string (Text or Keyword)"); }
  int64_t as_int() const { return get<int64_t>("an Int"); }
  double as_double() const { return get<double>("a Double"); }
  bool as_bool() const { return get<bool>("a Bool"); }
  Time as_time() const { return get<Time>("a Datetime"); }
  const std::vector<std::string>& as_keyword_list() const { return get<std::vector<std::string>>("a KeywordList"); }
  friend bool operator==(const SearchAttributeValue&, const SearchAttributeValue&) = default;

 private:
  template <class T>
  const T& get(const char* wanted) const {
    if (const T* v = std::get_if<T>(&value)) return *v;
    throw DataConverterError(std::string("search attribute value holds no ") + wanted);
  }
};

/// Search attributes by name.
using SearchAttributes = std::map<std::string, SearchAttributeValue>;

/// The type's name as the server and the CLI spell it ("Keyword", "KeywordList"...).
const char* to_string(SearchAttributeType type);

}  // namespace temporal

// The words of the scenario language (computed on each call, so that a
// kind registered later is known) and the phrases its errors share. Fault
// keywords and stop verbs come from the fault registry; the rest is fixed.
// Internal to the parser.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/scenario/parser.h"

namespace sc::scenario {

std::vector<std::string> FaultKeywords();     // kill, pause, ... (registry order)
std::vector<std::string> StopVerbWords();     // restart, resume, up, heal, stop
std::vector<std::string> ActionWords();       // what may follow a time
std::vector<std::string> StatementWords();    // what may start a line; never a fault's name
const std::vector<std::string>& TargetWords();       // master, replica, random, n1, n2, n3
const std::vector<std::string>& SideWords();         // targets plus client, others, servers
std::vector<std::string> ConditionWords();           // of `wait until`, from the wait registry

// "a fault (kill, pause, down, partition, cut or loss)" and the other lists
// as errors spell them.
std::string FaultList(const std::string& last_separator);

bool Contains(const std::vector<std::string>& list, const std::string& word);
std::vector<std::string> Concat(std::initializer_list<std::vector<std::string>> lists);
// master, replica, random or nK.
bool IsTargetWord(const std::string& w);
// Letters, digits, '-', '_', '.', starting with a letter or '_'.
bool IsIdentifier(const std::string& w);

// "32s", "1.5s", "500ms": a duration as a person writes it.
std::string FormatDuration(int64_t ns);
std::string Quote(const std::string& s);
// `message` plus "; did you mean 'X'?" when `word` is close to a candidate.
std::string WithSuggestion(std::string message, const std::string& word, const std::vector<std::string>& candidates);

// An error at `loc` of the file whose lines are `lines`.
Error MakeError(const std::string& file, const std::vector<std::string>& lines, Loc loc, std::string message);

}  // namespace sc::scenario

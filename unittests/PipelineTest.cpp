//===- PipelineTest.cpp - the per-profile pass pipelines ------------------===//
#include "Pipeline.h"

#include "llvm/ADT/StringRef.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace pyaket;

namespace {

std::string textOf(const PipelineOptions &Options) {
  Expected<std::string> Text = pipelineText(Options, nullptr);
  EXPECT_TRUE(bool(Text)) << toString(Text.takeError());
  return Text ? *Text : "";
}

TEST(Pipeline, PrintsTextualPassNames) {
  std::string Text = textOf(PipelineOptions());
  EXPECT_TRUE(StringRef(Text).starts_with("annotation2metadata,")) << Text;
  EXPECT_EQ(Text.find("PassManager"), std::string::npos) << Text;
}

TEST(Pipeline, LtoPreLinkPipelinesDifferFromThePerModuleOne) {
  PipelineOptions Options;
  Options.Level = OptimizationLevel::O3;
  std::string PerModule = textOf(Options);
  Options.Phase = LtoPhase::ThinPreLink;
  std::string Thin = textOf(Options);
  Options.Phase = LtoPhase::FullPreLink;
  std::string Full = textOf(Options);
  EXPECT_NE(PerModule, Thin);
  EXPECT_NE(PerModule, Full);
  EXPECT_NE(Thin, Full);
  // Both pre-link pipelines name anonymous globals for the link; the per-module one does not.
  EXPECT_EQ(PerModule.find("name-anon-globals"), std::string::npos);
  EXPECT_NE(Thin.find("name-anon-globals"), std::string::npos);
  EXPECT_NE(Full.find("name-anon-globals"), std::string::npos);
}

// Extra passes end the optimisation passes, but the pre-link passes that name
// anonymous globals (mergefunc makes some) come after them.
TEST(Pipeline, ExtraPassesRunBeforePreLinkNaming) {
  PipelineOptions Options;
  Options.Level = OptimizationLevel::Oz;
  Options.ExtraPasses = "mergefunc";
  EXPECT_NE(textOf(Options).find(",mergefunc,globaldce,"), std::string::npos);
  Options.Phase = LtoPhase::FullPreLink;
  EXPECT_TRUE(StringRef(textOf(Options)).ends_with(",mergefunc,globaldce,constmerge,function(annotation-remarks),canonicalize-aliases,name-anon-globals"));
}

TEST(Pipeline, UnknownExtraPassIsAnErrorNamingIt) {
  PipelineOptions Options;
  Options.ExtraPasses = "no-such-pass";
  Expected<std::string> Text = pipelineText(Options, nullptr);
  ASSERT_FALSE(bool(Text));
  std::string Error = toString(Text.takeError());
  EXPECT_NE(Error.find("no-such-pass"), std::string::npos) << Error;
}

} // namespace

//===- AssembleJob.cpp - one cc1as job, in-process ------------------------===//
//
// Follows clang/tools/driver/cc1as_main.cpp (LLVM 19): the same options, read
// with clang's own option table, drive the same MC objects. What only Darwin
// uses (variant triples, SDK versions, the -fembed-bitcode marker section,
// compact unwind) is accepted and ignored; so are -help and -version, which
// clang's Driver never puts in a job, and -mincremental-linker-compatible,
// which cc1as reads but does not pass on (COFF objects keep a zero time
// stamp, as clang's do).
//
//===----------------------------------------------------------------------===//
#include "AssembleJob.h"
#include "CrashGuard.h"
#include "Diagnostics.h"
#include "OutputFile.h"

#include "clang/Driver/Options.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/MC/MCAsmBackend.h"
#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCCodeEmitter.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCInstPrinter.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCObjectFileInfo.h"
#include "llvm/MC/MCObjectWriter.h"
#include "llvm/MC/MCParser/MCAsmParser.h"
#include "llvm/MC/MCParser/MCTargetAsmParser.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCStreamer.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormattedStream.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;
using namespace llvm::opt;
using namespace clang::driver::options;

namespace pyaket {

namespace {
/// Prints the error and returns false, the failure of a step of the job.
bool fail(const Twine &Message) {
  reportError(Message);
  return false;
}
bool fail(Error Err) { return fail(toString(std::move(Err))); }

/// One cc1as job's options, as cc1as_main's AssemblerInvocation holds them.
struct AssemblerOptions {
  enum class FileType { Asm, Null, Obj };

  // Target.
  std::string TripleName; // normalised
  std::string CPU;
  std::vector<std::string> Features;
  bool PIC = true;

  // Input and output.
  std::string InputFile = "-";
  std::string OutputFile = "-";
  std::string SplitDwarfOutput; // -gsplit-dwarf: the .dwo file
  FileType OutputType = FileType::Asm;
  std::vector<std::string> IncludePaths; // for .include and .incbin
  std::vector<std::string> SymbolDefs;   // -defsym NAME=VALUE
  std::vector<std::string> LLVMArgs;     // -mllvm
  bool NoInitialTextSection = false;
  bool NoExecStack = false;

  // Debug information about the assembly source itself (-g).
  bool GenDwarf = false;
  bool Dwarf64 = false;
  unsigned DwarfVersion = 2;
  std::string DwarfDebugFlags;
  std::string DwarfDebugProducer;
  std::string CompilationDir;
  std::vector<std::pair<std::string, std::string>> DebugPrefixMap;
  std::string MainFileName;

  // Assembly text output (-filetype asm).
  unsigned OutputAsmVariant = 0;
  bool ShowEncoding = false;

  // What the MC layer reads directly: relaxation, warnings, relocations,
  // debug section compression, the ABI.
  MCTargetOptions MC;
};

/// The error for an argument that is not a cc1as option, with clang's
/// suggestion when one is close.
Error unknownArgument(const OptTable &Table, StringRef Arg) {
  std::string Nearest;
  if (Table.findNearest(Arg, Nearest, Visibility(CC1AsOption)) > 1)
    return makeError("unknown assembler argument '" + Arg + "'");
  return makeError("unknown assembler argument '" + Arg + "'; did you mean '" + Nearest + "'?");
}

/// Reads the unsigned integer value of option \p Id, if given, into \p Value.
Error readUnsigned(const ArgList &Args, OptSpecifier Id, unsigned &Value) {
  const Arg *A = Args.getLastArg(Id);
  if (!A || to_integer(A->getValue(), Value))
    return Error::success();
  return makeError("invalid integral value '" + Twine(A->getValue()) + "' in '" +
                   A->getAsString(Args) + "'");
}

/// The target, the files and the output kind.
Error readTargetAndFiles(const ArgList &Args, AssemblerOptions &Opts) {
  Opts.TripleName = Triple::normalize(Args.getLastArgValue(OPT_triple));
  if (Opts.TripleName.empty())
    Opts.TripleName = sys::getDefaultTargetTriple();
  Opts.CPU = Args.getLastArgValue(OPT_target_cpu).str();
  Opts.Features = Args.getAllArgValues(OPT_target_feature);
  Opts.PIC = Args.getLastArgValue(OPT_mrelocation_model, "pic") == "pic";

  std::vector<std::string> Inputs = Args.getAllArgValues(OPT_INPUT);
  if (Inputs.size() > 1)
    return makeError("the assembler takes one input, not '" + Inputs[0] + "' and '" +
                     Inputs[1] + "'");
  if (!Inputs.empty())
    Opts.InputFile = Inputs.front();
  Opts.OutputFile = Args.getLastArgValue(OPT_o, "-").str();
  Opts.SplitDwarfOutput = Args.getLastArgValue(OPT_split_dwarf_output).str();
  if (const Arg *A = Args.getLastArg(OPT_filetype)) {
    std::optional<AssemblerOptions::FileType> Type =
        StringSwitch<std::optional<AssemblerOptions::FileType>>(A->getValue())
            .Case("asm", AssemblerOptions::FileType::Asm)
            .Case("null", AssemblerOptions::FileType::Null)
            .Case("obj", AssemblerOptions::FileType::Obj)
            .Default(std::nullopt);
    if (!Type)
      return makeError("invalid value '" + Twine(A->getValue()) + "' in '" +
                       A->getAsString(Args) + "'");
    Opts.OutputType = *Type;
  }
  Opts.IncludePaths = Args.getAllArgValues(OPT_I);
  Opts.SymbolDefs = Args.getAllArgValues(OPT_defsym);
  Opts.LLVMArgs = Args.getAllArgValues(OPT_mllvm);
  Opts.NoInitialTextSection = Args.hasArg(OPT_n);
  Opts.NoExecStack = Args.hasArg(OPT_mno_exec_stack);
  Opts.ShowEncoding = Args.hasArg(OPT_show_encoding);
  return readUnsigned(Args, OPT_output_asm_variant, Opts.OutputAsmVariant);
}

/// The DWARF that describes the assembly source (-g).
Error readDebugInfo(const ArgList &Args, AssemblerOptions &Opts) {
  // Any -debug-info-kind asks for it.
  Opts.GenDwarf = Args.hasArg(OPT_debug_info_kind_EQ);
  if (const Arg *A = Args.getLastArg(OPT_gdwarf64, OPT_gdwarf32))
    Opts.Dwarf64 = A->getOption().matches(OPT_gdwarf64);
  Opts.DwarfDebugFlags = Args.getLastArgValue(OPT_dwarf_debug_flags).str();
  Opts.DwarfDebugProducer = Args.getLastArgValue(OPT_dwarf_debug_producer).str();
  Opts.CompilationDir = Args.getLastArgValue(OPT_fdebug_compilation_dir_EQ).str();
  for (StringRef Map : Args.getAllArgValues(OPT_fdebug_prefix_map_EQ)) {
    auto [From, To] = Map.split('=');
    Opts.DebugPrefixMap.emplace_back(From, To);
  }
  Opts.MainFileName = Args.getLastArgValue(OPT_main_file_name).str();
  return readUnsigned(Args, OPT_dwarf_version_EQ, Opts.DwarfVersion);
}

/// What the MC layer reads directly.
void readMCOptions(const ArgList &Args, MCTargetOptions &MC) {
  MC.ABIName = Args.getLastArgValue(OPT_target_abi).str();
  MC.MCRelaxAll = Args.hasArg(OPT_mrelax_all);
  MC.MCFatalWarnings = Args.hasArg(OPT_massembler_fatal_warnings);
  MC.MCNoWarn = Args.hasArg(OPT_massembler_no_warn);
  MC.MCNoTypeCheck = Args.hasArg(OPT_mno_type_check);
  MC.MCSaveTempLabels = Args.hasArg(OPT_msave_temp_labels);
  MC.ShowMCInst = Args.hasArg(OPT_show_inst);
  MC.Crel = Args.hasArg(OPT_crel);
  MC.X86RelaxRelocations = !Args.hasArg(OPT_mrelax_relocations_no);
  MC.X86Sse2Avx = Args.hasArg(OPT_msse2avx);
  MC.AsSecureLogFile = Args.getLastArgValue(OPT_as_secure_log_file).str();
  if (const Arg *A = Args.getLastArg(OPT_compress_debug_sections_EQ))
    MC.CompressDebugSections = StringSwitch<DebugCompressionType>(A->getValue())
                                   .Case("zlib", DebugCompressionType::Zlib)
                                   .Case("zstd", DebugCompressionType::Zstd)
                                   .Default(DebugCompressionType::None);
  MC.AsmVerbose = true;
  MC.MCUseDwarfDirectory = MCTargetOptions::EnableDwarfDirectory;
}

/// Reads the cc1as arguments with clang's option table, as cc1as does.
Expected<AssemblerOptions> parseArguments(ArrayRef<std::string> Cc1AsArgs) {
  const OptTable &Table = clang::driver::getDriverOptTable();
  SmallVector<const char *, 64> Argv;
  for (const std::string &Arg : Cc1AsArgs)
    Argv.push_back(Arg.c_str());
  unsigned MissingIndex, MissingCount;
  InputArgList Args = Table.ParseArgs(Argv, MissingIndex, MissingCount, Visibility(CC1AsOption));
  if (MissingCount)
    return makeError("argument to '" + Twine(Args.getArgString(MissingIndex)) +
                     "' is missing (expected " + Twine(MissingCount) + " value)");
  for (const Arg *A : Args.filtered(OPT_UNKNOWN))
    return unknownArgument(Table, A->getAsString(Args)); // the first one

  AssemblerOptions Opts;
  if (Error Err = readTargetAndFiles(Args, Opts))
    return Err;
  if (Error Err = readDebugInfo(Args, Opts))
    return Err;
  readMCOptions(Args, Opts.MC);
  return Opts;
}

/// Passes -mllvm options on to LLVM, as cc1as does. Occurrences are reset
/// first: an earlier job in this process may have set the same options.
bool applyLLVMArgs(ArrayRef<std::string> LLVMArgs) {
  if (LLVMArgs.empty())
    return true;
  SmallVector<const char *, 16> Argv{"pyaket-cc (LLVM option parsing)"};
  for (const std::string &Arg : LLVMArgs)
    Argv.push_back(Arg.c_str());
  cl::ResetAllOptionOccurrences();
  return cl::ParseCommandLineOptions(Argv.size(), Argv.data(), "", &errs());
}

/// Sets what the DWARF of the assembly source says about where it came from.
void setDebugInfo(MCContext &Ctx, const AssemblerOptions &Opts, StringRef Source) {
  Ctx.setGenDwarfForAssembly(Opts.GenDwarf);
  if (!Opts.DwarfDebugFlags.empty())
    Ctx.setDwarfDebugFlags(Opts.DwarfDebugFlags);
  if (!Opts.DwarfDebugProducer.empty())
    Ctx.setDwarfDebugProducer(Opts.DwarfDebugProducer);
  SmallString<128> CurrentDir;
  if (!Opts.CompilationDir.empty())
    Ctx.setCompilationDir(Opts.CompilationDir);
  else if (!sys::fs::current_path(CurrentDir))
    Ctx.setCompilationDir(CurrentDir);
  for (const auto &[From, To] : Opts.DebugPrefixMap)
    Ctx.addDebugPrefixMapEntry(From, To);
  // A .S file's job reads a temporary .s: the main file name is the .S file.
  if (!Opts.MainFileName.empty())
    Ctx.setMainFileName(Opts.MainFileName);
  Ctx.setDwarfFormat(Opts.Dwarf64 ? dwarf::DWARF64 : dwarf::DWARF32);
  Ctx.setDwarfVersion(Opts.DwarfVersion);
  if (Opts.GenDwarf)
    Ctx.setGenDwarfRootFile(Opts.InputFile, Source);
}

/// The streamer that the parser feeds: it writes assembly text, nothing, or
/// an object (and a .dwo file for split DWARF).
std::unique_ptr<MCStreamer> createStreamer(const Target &TheTarget, const AssemblerOptions &Opts,
                                           MCContext &Ctx, const MCSubtargetInfo &STI,
                                           const MCInstrInfo &MCII, raw_svector_ostream &Out,
                                           raw_svector_ostream &DwoOut) {
  const MCRegisterInfo &MRI = *Ctx.getRegisterInfo();
  std::unique_ptr<MCAsmBackend> MAB(TheTarget.createMCAsmBackend(STI, MRI, Opts.MC));
  if (Opts.OutputType == AssemblerOptions::FileType::Asm) {
    // The streamer owns the printer.
    MCInstPrinter *Printer = TheTarget.createMCInstPrinter(
        Ctx.getTargetTriple(), Opts.OutputAsmVariant, *Ctx.getAsmInfo(), MCII, MRI);
    std::unique_ptr<MCCodeEmitter> CE;
    if (Opts.ShowEncoding)
      CE.reset(TheTarget.createMCCodeEmitter(MCII, Ctx));
    return std::unique_ptr<MCStreamer>(
        TheTarget.createAsmStreamer(Ctx, std::make_unique<formatted_raw_ostream>(Out), Printer,
                                    std::move(CE), std::move(MAB)));
  }
  if (Opts.OutputType == AssemblerOptions::FileType::Null)
    return std::unique_ptr<MCStreamer>(createNullStreamer(Ctx));

  std::unique_ptr<MCCodeEmitter> CE(TheTarget.createMCCodeEmitter(MCII, Ctx));
  std::unique_ptr<MCObjectWriter> OW = Opts.SplitDwarfOutput.empty()
                                           ? MAB->createObjectWriter(Out)
                                           : MAB->createDwoObjectWriter(Out, DwoOut);
  std::unique_ptr<MCStreamer> Str(TheTarget.createMCObjectStreamer(
      Ctx.getTargetTriple(), Ctx, std::move(MAB), std::move(OW), std::move(CE), STI));
  // Adds .note.GNU-stack when asked (-Wa,--noexecstack).
  Str->initSections(Opts.NoExecStack, STI);
  return Str;
}

/// Assembles the input into \p Out (and \p DwoOut for split DWARF). Errors in
/// the source print through the SourceMgr as file:line:col: error: ...
bool assemble(const AssemblerOptions &Opts, raw_svector_ostream &Out,
              raw_svector_ostream &DwoOut) {
  std::string Error;
  const Target *TheTarget = TargetRegistry::lookupTarget(Opts.TripleName, Error);
  if (!TheTarget)
    return fail("unknown target triple '" + Opts.TripleName + "': " + Error);
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer =
      MemoryBuffer::getFileOrSTDIN(Opts.InputFile, /*IsText=*/true);
  if (std::error_code EC = Buffer.getError())
    return fail("error reading '" + Opts.InputFile + "': " + EC.message());

  SourceMgr SrcMgr;
  unsigned BufferIndex = SrcMgr.AddNewSourceBuffer(std::move(*Buffer), SMLoc());
  SrcMgr.setIncludeDirs(Opts.IncludePaths);

  std::unique_ptr<MCRegisterInfo> MRI(TheTarget->createMCRegInfo(Opts.TripleName));
  std::unique_ptr<MCAsmInfo> MAI(TheTarget->createMCAsmInfo(*MRI, Opts.TripleName, Opts.MC));
  std::unique_ptr<MCSubtargetInfo> STI(
      TheTarget->createMCSubtargetInfo(Opts.TripleName, Opts.CPU, join(Opts.Features, ",")));
  std::unique_ptr<MCInstrInfo> MCII(TheTarget->createMCInstrInfo());
  Triple TheTriple(Opts.TripleName);
  MCContext Ctx(TheTriple, MAI.get(), MRI.get(), STI.get(), &SrcMgr, &Opts.MC);
  // MCContext and MCObjectFileInfo need each other: the context comes first.
  std::unique_ptr<MCObjectFileInfo> MOFI(TheTarget->createMCObjectFileInfo(Ctx, Opts.PIC));
  Ctx.setObjectFileInfo(MOFI.get());
  setDebugInfo(Ctx, Opts, SrcMgr.getMemoryBuffer(BufferIndex)->getBuffer());

  std::unique_ptr<MCStreamer> Str =
      createStreamer(*TheTarget, Opts, Ctx, *STI, *MCII, Out, DwoOut);
  std::unique_ptr<MCAsmParser> Parser(createMCAsmParser(SrcMgr, Ctx, *Str, *MAI));
  std::unique_ptr<MCTargetAsmParser> TAP(
      TheTarget->createMCAsmParser(*STI, *Parser, *MCII, Opts.MC));
  if (!TAP)
    return fail("no assembly parser for target '" + Opts.TripleName + "'");
  // clang's Driver has checked that each -defsym is NAME=INTEGER.
  for (StringRef Def : Opts.SymbolDefs) {
    auto [Name, Text] = Def.split('=');
    int64_t Value = 0;
    Text.getAsInteger(0, Value);
    Ctx.setSymbolValue(Parser->getStreamer(), Name, Value);
  }
  Parser->setTargetParser(*TAP);
  // Run also finishes the streamer, which writes the object.
  return !Parser->Run(Opts.NoInitialTextSection);
}

} // namespace

bool runAssembleJob(ArrayRef<std::string> Cc1AsArgs) {
  Expected<AssemblerOptions> Opts = parseArguments(Cc1AsArgs);
  if (!Opts)
    return fail(Opts.takeError());
  if (!applyLLVMArgs(Opts->LLVMArgs))
    return false;

  // The outputs are made in memory and written whole once complete.
  SmallString<0> Object, Dwo;
  raw_svector_ostream Out(Object), DwoOut(Dwo);
  if (!runGuarded([&] { return assemble(*Opts, Out, DwoOut); },
                  [&] { return "assembling " + Opts->InputFile; }))
    return false;
  if (Opts->OutputType == AssemblerOptions::FileType::Null)
    return true;
  if (Error Err = writeOutputFile(Opts->OutputFile, Object))
    return fail(std::move(Err));
  if (!Opts->SplitDwarfOutput.empty())
    if (Error Err = writeOutputFile(Opts->SplitDwarfOutput, Dwo))
      return fail(std::move(Err));
  return true;
}

} // namespace pyaket

// `vigil evidence keygen|pack|verify`: signed, self-checking evidence bundles
// for auditors (reports/evidence/, docs/reports.md).
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "reports/evidence/bundle.h"
#include "reports/evidence/keys.h"

namespace vigil::cli {

namespace {

// The exact command line, recorded in the bundle (tool.json).
std::vector<std::string> own_command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> out;
  std::string arg;
  while (std::getline(in, arg, '\0')) out.push_back(arg);
  return out;
}

}  // namespace

void add_evidence(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("evidence", "Signed evidence bundles: keygen, pack, verify");
  cmd->require_subcommand(1);

  struct Keygen {
    std::string out, pub;
  };
  auto kg = std::make_shared<Keygen>();
  auto* keygen = cmd->add_subcommand("keygen", "Create an Ed25519 signing key (private key 0600)");
  keygen->add_option("--out", kg->out, "Private key file (PEM)")->required();
  keygen->add_option("--pub", kg->pub, "Public key file (default: KEY.pub)");
  keygen->callback([&ctx, kg] {
    const std::string pub = kg->pub.empty() ? kg->out + ".pub" : kg->pub;
    auto fp = reports::evidence::keygen(kg->out, pub);
    if (!fp) {
      print_error(fp.error());
      ctx.exit_code = kExitError;
      return;
    }
    print_info(ctx, "wrote private key " + kg->out + " and public key " + pub);
    std::printf("%s\n", fp->c_str());
  });

  auto pk = std::make_shared<reports::evidence::PackRequest>();
  auto* pack = cmd->add_subcommand("pack", "Bundle results, findings and reports, signed");
  pack->add_option("--results", pk->results, "Results JSON file(s)")
      ->required()
      ->check(CLI::ExistingFile);
  pack->add_option("--findings", pk->findings, "Findings JSON Lines file(s)")
      ->check(CLI::ExistingFile);
  pack->add_option("--report", pk->reports, "Report file(s) to include")->check(CLI::ExistingFile);
  pack->add_option("--key", pk->key, "Ed25519 private key (vigil evidence keygen)")
      ->required()
      ->check(CLI::ExistingFile);
  pack->add_option("--out", pk->out, "Bundle file (.tar)")->required();
  pack->callback([&ctx, pk] {
    pk->command_line = own_command_line();
    auto sum = reports::evidence::pack(*pk);
    if (!sum) {
      print_error(sum.error());
      ctx.exit_code = kExitError;
      return;
    }
    print_info(ctx, "wrote " + pk->out + ": " + std::to_string(sum->files) + " files, " +
                        std::to_string(sum->bytes) + " bytes, signed by key " +
                        sum->key_fingerprint);
  });

  struct Verify {
    std::string bundle, pub, extract;
  };
  auto vf = std::make_shared<Verify>();
  auto* verify = cmd->add_subcommand("verify", "Check a bundle's signature and every file");
  verify->add_option("bundle", vf->bundle, "Bundle file (.tar)")->required();
  verify->add_option("--pubkey", vf->pub, "Ed25519 public key (PEM)")->required();
  verify->add_option("--extract", vf->extract,
                     "After a successful check, unpack into this directory");
  verify->callback([&ctx, vf] {
    auto rep = reports::evidence::verify_bundle(vf->bundle, vf->pub);
    if (!rep) {
      print_error(rep.error());
      ctx.exit_code = kExitError;
      return;
    }
    for (const auto& p : rep->problems) print_error(Error{vf->bundle, p});
    if (!rep->ok) {
      print_error(Error{vf->bundle, "verification FAILED (" + std::to_string(rep->problems.size()) +
                                        " problem(s))"});
      ctx.exit_code = kExitError;
      return;
    }
    std::printf("%s: OK: signature by key %s, %zu files match the manifest\n", vf->bundle.c_str(),
                rep->key_fingerprint.c_str(), rep->files);
    if (!vf->extract.empty()) {
      if (auto st = reports::evidence::extract_bundle(vf->bundle, vf->extract); !st) {
        print_error(st.error());
        ctx.exit_code = kExitError;
      }
    }
  });
}

}  // namespace vigil::cli

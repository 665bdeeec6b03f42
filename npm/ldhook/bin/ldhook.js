#!/usr/bin/env node
// Runs the ldhook binary of this platform. npm installs only the one optional
// @ldhook/cli-<platform>-<arch> package whose `os` and `cpu` match, as biome and esbuild do, so
// no install script and no download is needed; this file only finds that binary and hands it
// the arguments, the standard streams and the exit code.
"use strict";

const { spawnSync } = require("node:child_process");

const PLATFORMS = {
  "darwin-arm64": "@ldhook/cli-darwin-arm64/ldhook",
  "darwin-x64": "@ldhook/cli-darwin-x64/ldhook",
  "linux-arm64": "@ldhook/cli-linux-arm64/ldhook",
  "linux-x64": "@ldhook/cli-linux-x64/ldhook",
  "win32-x64": "@ldhook/cli-win32-x64/ldhook.exe",
};

function binaryPath() {
  // A binary of one's own (a local build, a platform npm has no package for) wins.
  if (process.env.LDHOOK_BINARY) {
    return process.env.LDHOOK_BINARY;
  }
  const platform = `${process.platform}-${process.arch}`;
  const module = PLATFORMS[platform];
  if (module === undefined) {
    fail(
      `ldhook: no prebuilt binary for ${platform}; ldhook ships ${Object.keys(PLATFORMS).join(", ")}.\n` +
        "Install it with `cargo install --locked --git https://github.com/ldhook/ldhook ldhook` " +
        "and set LDHOOK_BINARY to its path.",
    );
  }
  try {
    return require.resolve(module);
  } catch {
    const name = module.slice(0, module.lastIndexOf("/"));
    fail(
      `ldhook: the package ${name} for ${platform} is not installed.\n` +
        "npm installs it as an optional dependency of ldhook: reinstall without " +
        "--omit=optional / --no-optional, and keep the lockfile's entry for it.",
    );
  }
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const result = spawnSync(binaryPath(), process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  fail(`ldhook: could not run ${result.error.path ?? "the binary"}: ${result.error.message}`);
}
if (result.signal) {
  // Die of the same signal, so a caller sees what the binary saw.
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 2);

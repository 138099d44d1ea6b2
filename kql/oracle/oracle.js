#!/usr/bin/env node
// oracle.js asks Microsoft's KQL parser (Kusto.Language, npm package
// @kusto/language-service-next) whether queries have syntax errors. It is a
// test helper for package kql and is never shipped.
//
// Usage:
//   node oracle.js FILE...          one JSON line per file
//   node oracle.js < queries.json   stdin: a JSON array of query strings
//
// Each output line is {"name":..., "errors":N, "code":..., "message":...,
// "offset":N}, where code, message and offset describe the first error.
"use strict";

const fs = require("fs");
const path = require("path");

const pkg = path.join(__dirname, "node_modules", "@kusto",
  "language-service-next");
require(path.join(pkg, "bridge.js"));
require(path.join(pkg, "Kusto.Language.Bridge.js"));
const Kusto = globalThis.Kusto;

function check(name, text) {
  const code = Kusto.Language.KustoCode.Parse(text);
  const diags = code.GetSyntaxDiagnostics();
  const out = { name: name, errors: 0 };
  const n = diags.Count;
  for (let i = 0; i < n; i++) {
    const d = diags.getItem(i);
    if (d.Severity !== "Error") {
      continue;
    }
    if (out.errors === 0) {
      out.code = d.Code;
      out.message = d.Message;
      out.offset = d.Start;
    }
    out.errors++;
  }
  return out;
}

function main() {
  const files = process.argv.slice(2);
  const lines = [];
  if (files.length > 0) {
    for (const f of files) {
      lines.push(JSON.stringify(check(f, fs.readFileSync(f, "utf8"))));
    }
  } else {
    const queries = JSON.parse(fs.readFileSync(0, "utf8"));
    queries.forEach((q, i) => lines.push(JSON.stringify(check(String(i), q))));
  }
  process.stdout.write(lines.join("\n") + (lines.length ? "\n" : ""));
}

main();

#!/usr/bin/env node
// semantic.js asks Microsoft's KQL semantic analysis (Kusto.Language, npm
// package @kusto/language-service-next) which names a query uses that do
// not resolve, with the Defender schema declared. It is a test helper for
// package kql/check and is never shipped.
//
// Usage:
//   node semantic.js FILE...          one JSON line per file
//   node semantic.js < queries.json   stdin: a JSON array of query strings
//   node semantic.js --builtins       the builtin scalar and aggregate
//                                     function names, one a line, sorted
//   node semantic.js --plugins        the evaluate plugin names, likewise
//
// The database holds the tables of ../schema/defender-tables.json and the
// Defender functions FileProfile, SeenBy, AssignedIPAddresses and
// DeviceFromIP, declared from their documentation pages.
//
// Each output line is {"name":..., "unresolved":[...], "errors":N,
// "syntax":N}, where unresolved lists the diagnostics about names that do
// not resolve ({"code","name","offset","len","message"}), errors counts
// every error diagnostic and syntax the syntax errors alone.
"use strict";

const fs = require("fs");
const path = require("path");

const pkg = path.join(__dirname, "node_modules", "@kusto",
  "language-service-next");
require(path.join(pkg, "bridge.js"));
require(path.join(pkg, "Kusto.Language.Bridge.js"));
const K = globalThis.Kusto.Language;
const S = K.Symbols;

// The codes of "name does not resolve" diagnostics: KS142 any name,
// KS204 a table, KS211 a function, KS145 a join key missing on one side,
// KS124 a plugin.
const unresolvedCodes = new Set(["KS142", "KS204", "KS211", "KS145",
  "KS124"]);

// defenderFunctions are the built-in Defender functions, as documented on
// learn.microsoft.com (advanced-hunting-fileprofile-function and the
// others). FileProfile and SeenBy take their input table from invoke and
// add columns; the other two produce a table of their own.
const defenderFunctions = [
  ["FileProfile", "(T:(*), x:string='SHA1', y:long=100000)",
    "{ T | extend SHA1=column_ifexists('SHA1', ''), " +
    " SHA256=column_ifexists('SHA256', ''), MD5=column_ifexists('MD5', '')," +
    " FileSize=column_ifexists('FileSize', long(null))," +
    " GlobalPrevalence=long(null), GlobalFirstSeen=datetime(null)," +
    " GlobalLastSeen=datetime(null), Signer='', Issuer='', SignerHash=''," +
    " IsCertificateValid=bool(null), IsRootSignerMicrosoft=bool(null)," +
    " SignatureState='', IsExecutable=bool(null), ThreatName=''," +
    " Publisher='', SoftwareName='', ProfileAvailability='' }"],
  ["SeenBy", "(T:(*))", "{ T | extend SeenBy=dynamic(null) }"],
  ["AssignedIPAddresses",
    "(x:string, y:datetime=datetime(null), z:long=0)",
    "{ datatable(Timestamp:datetime, IPAddress:string, IPType:string," +
    " NetworkAdapterType:string, ConnectedNetworks:string)[] }"],
  ["DeviceFromIP", "(x:string, y:datetime=datetime(null), z:long=0)",
    "{ datatable(IP:string, DeviceId:string)[] }"],
];

function globals() {
  const file = path.join(__dirname, "..", "schema", "defender-tables.json");
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  const members = doc.tables.map((t) => new S.TableSymbol.$ctor7(t.name,
    "(" + t.columns.map((c) => "['" + c.name + "']:" + c.type).join(", ") +
    ")", null));
  for (const [name, params, body] of defenderFunctions) {
    members.push(new S.FunctionSymbol.$ctor16(name, params, body, null));
  }
  const db = new S.DatabaseSymbol.ctor("defender", members);
  return K.GlobalState.Default.WithDatabase(db);
}

// invokeArgSpans returns the [start, end) spans of the argument lists of
// `invoke F(...)` calls of the Defender functions: their arguments name
// columns of the input (FileProfile(SHA1)), which Kusto.Language cannot
// know from a declaration, so reports inside them are dropped.
function invokeArgSpans(code) {
  const spans = [];
  const defender = new Set(defenderFunctions.map((f) => f[0]));
  code.Syntax.WalkElements((el) => {
    if (el.Kind !== K.Syntax.SyntaxKind.FunctionCallExpression) {
      return;
    }
    if (!defender.has(el.Name.SimpleName)) {
      return;
    }
    const args = el.ArgumentList;
    spans.push([args.TextStart, args.End]);
  });
  return spans;
}

// count returns the length of a list from the bridge, which is a .NET
// list with Count, or an empty JavaScript array.
function count(list) {
  return list.Count !== undefined ? list.Count : list.length;
}

function check(name, text, g) {
  const code = K.KustoCode.ParseAndAnalyze(text, g);
  const diags = code.GetDiagnostics();
  const skip = invokeArgSpans(code);
  const out = {
    name: name, unresolved: [], errors: 0,
    syntax: count(code.GetSyntaxDiagnostics()),
  };
  for (let i = 0; i < count(diags); i++) {
    const d = diags.getItem(i);
    if (d.Severity !== "Error") {
      continue;
    }
    out.errors++;
    if (!unresolvedCodes.has(d.Code)) {
      continue;
    }
    if (skip.some(([s, e]) => d.Start >= s && d.Start < e)) {
      continue;
    }
    const m = /^The (?:name|column|plug-in function) '(.*?)'/.exec(
      d.Message);
    out.unresolved.push({
      code: d.Code,
      name: m ? m[1] : text.substr(d.Start, d.Length),
      offset: d.Start,
      len: d.Length,
      message: d.Message,
    });
  }
  return out;
}

// names returns the sorted names of the symbols in lists, deprecated
// (hidden) ones included.
function names(...lists) {
  const set = new Set();
  for (const list of lists) {
    for (const sym of list) {
      set.add(sym.Name);
    }
  }
  return Array.from(set).sort();
}

function main() {
  const lists = {
    "--builtins": () => names(K.Functions.All, K.Aggregates.All),
    "--plugins": () => names(K.PlugIns.All),
  };
  const list = lists[process.argv[2]];
  if (list) {
    process.stdout.write(list().join("\n") + "\n");
    return;
  }
  const g = globals();
  const files = process.argv.slice(2);
  const lines = [];
  if (files.length > 0) {
    for (const f of files) {
      const text = fs.readFileSync(f, "utf8");
      lines.push(JSON.stringify(check(f, text, g)));
    }
  } else {
    const queries = JSON.parse(fs.readFileSync(0, "utf8"));
    queries.forEach((q, i) =>
      lines.push(JSON.stringify(check(String(i), q, g))));
  }
  process.stdout.write(lines.join("\n") + (lines.length ? "\n" : ""));
}

main();

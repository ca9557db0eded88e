#!/usr/bin/env node
// Builds the differential-test corpus deterministically and writes corpus.jsonl:
// one line per case, {"expr": ..., "values": {...}, "now": FIXED_NOW}.
// Same output on every run: the only randomness is a seeded PRNG (mulberry32).
//
//   node tests/expr-diff/corpus.mjs            writes corpus.jsonl, prints the count
//
// Sections (see the add* calls at the bottom): literals, references, unary
// operators, a binary-operator matrix, operator spellings, precedence,
// generated nested expressions, coercions, every function, syntax errors and
// oddities, value-set sweeps ({a}/{b} taking many JSON values), other clocks.

import fs from "node:fs";
import { CORPUS, FIXED_NOW } from "./common.mjs";

// ---------------------------------------------------------------- PRNG
function mulberry32(seed) {
  return function () {
    let t = (seed += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261126);
const pick = (arr) => arr[Math.floor(rand() * arr.length)];

// ---------------------------------------------------------------- values
// The universe of named values. Each line carries only the entries its
// expression references (see valuesFor), so lines stay readable.
const NFD = "Ha\u0300 No\u0323\u0302i"; // "Hà Nội" decomposed (NFD)
const U = {
  n10: 10,
  n0: 0,
  nneg: -3,
  ndec: 2.5,
  n01: 0.1,
  n02: 0.2,
  nbig: 1e21,
  ntiny: 1.5e-7,
  s10: "10",
  s9: "9",
  s007: "007",
  s00: "00",
  s5sp: " 5 ",
  sdec: "2.50",
  scomma: "1,5",
  scomma2: "1,234,5",
  shex: "0x1A",
  sexp: "1e3",
  sneg: "-5",
  splus: "+5",
  sinf: "Infinity",
  slong: "12345678901234567",
  smixed: "12abc",
  sabc: "abc",
  sup: "ABC",
  sempty: "",
  sspace: "  ",
  squoted: "'quoted'",
  bt: true,
  bf: false,
  strue: "true",
  sfalse: "false",
  strueup: "TRUE",
  nul: null,
  earr: [],
  eobj: {},
  sarr: ["a", "b"],
  narr: [1, 2, 3],
  snarr: ["1", "2"],
  marr: [1, "2", null, "x"],
  nested: [[1, 2], [3]],
  obj: { b: { c: 5 }, name: "x", Num: "42" },
  "a.b": "dotted key",
  a: { b: "nested b", c: [10, 20] },
  "name with spaces": 7,
  Mixed: "MixedCase",
  date: "2024-02-29",
  date2: "2025-03-01",
  dtime: "2024-02-29T10:30:00",
  dtimez: "2024-02-29T23:30:00Z",
  dshort: "2024-2-29",
  ddmy: "29/02/2024",
  dbad: "not a date",
  birth: "2000-11-26",
  birth2: "2000-11-27",
  leap: "2000-02-29",
  ms: 1700000000000,
  vn: "Hà Nội",
  vnlow: "hà nội",
  vnup: "HÀ NỘI",
  vnascii: "Ha Noi",
  vnnfd: NFD,
  vnname: "Nguyễn Văn An",
  vnnameup: "NGUYỄN VĂN AN",
  vnward: "Phường Đống Đa",
  items: [
    { price: 10, qty: 2, name: "a", ok: true },
    { price: "5", qty: 1, name: "b", ok: false },
    { price: null, qty: 3, name: "c", ok: true },
    { price: "x", qty: 4, name: "d" },
    { price: 2.5, qty: "2", name: "Đ", ok: "true" },
  ],
  rows: { r1: { price: 3, qty: 1 }, r2: { price: 4, qty: 0 }, r3: {} },
  eitems: [],
};

// Values a line needs: the universe entries whose (lower-cased) name is a
// referenced name or a prefix of one followed by "." or "[".
function valuesFor(expr, universe = U) {
  const refs = [];
  for (const m of expr.matchAll(/\{([^{}]*)\}/g)) refs.push(m[1].replace(/^#/, "").toLowerCase());
  const out = {};
  for (const k of Object.keys(universe)) {
    const lk = k.toLowerCase();
    if (refs.some((r) => r === lk || r.startsWith(lk + ".") || r.startsWith(lk + "[")))
      out[k] = universe[k];
  }
  return out;
}

// ---------------------------------------------------------------- output
const lines = [];
const seen = new Set();
function add(expr, values, now = FIXED_NOW) {
  if (values === undefined) values = valuesFor(expr);
  const line = JSON.stringify({ expr, values, now });
  if (seen.has(line)) return;
  seen.add(line);
  lines.push(line);
}
const addAll = (exprs, values) => exprs.forEach((e) => add(e, values));

// ---------------------------------------------------------------- operands
const LIT_OPERANDS = [
  "0", "1", "10", "-3", "2.5", "0.1", "'abc'", "'ABC'", "''", "'10'", "'007'", "' 5 '",
  "'true'", "'Hà Nội'", "true", "false", "null", "[]", "['a', 'b']", "[1, 2, 3]", "['1', '2']",
  "abc",
];
const REF_OPERANDS = [
  "{n10}", "{n0}", "{nneg}", "{ndec}", "{s10}", "{s007}", "{s5sp}", "{sdec}", "{scomma}",
  "{shex}", "{sabc}", "{sup}", "{sempty}", "{sspace}", "{bt}", "{bf}", "{strue}", "{sfalse}",
  "{strueup}", "{nul}", "{missing}", "{earr}", "{sarr}", "{narr}", "{snarr}", "{marr}", "{eobj}",
  "{obj}", "{date}", "{vn}", "{vnlow}", "{vnup}", "{vnascii}", "{vnnfd}", "{squoted}",
];
const ALL_OPERANDS = [...LIT_OPERANDS, ...REF_OPERANDS];
// Crossed in full with every operator.
const CORE = [
  "{n10}", "{s10}", "'abc'", "{sup}", "''", "{bt}", "{strue}", "{missing}", "{earr}", "{sarr}",
];
const BINOPS = [
  "or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "^",
  "contains", "notcontains", "anyof", "allof", "noneof",
];

// ---------------------------------------------------------------- sections
function addLiterals() {
  addAll([
    "0", "1", "42", "-1", "-0", "3.14", "0.5", "00.5", "007.5", "10.0", "1.50", "0x10", "0x19",
    "0x0", "0x1A", "0xff", "007", "00", "1.", ".5", "1e3", "1E3", "- 2", "--2", "-(2)", "+1",
    "123456789012345678", "9007199254740993", "0.1 + 0.2", "-0.0",
    "'abc'", "\"abc\"", "''", "\"\"", "'a\\'b'", "\"a\\\"b\"", "'a\\nb'", "'a\\\\b'", "'a\\\\'",
    "'it''s'", "\"it's\"", "'it\"s'", "'Hà Nội'", "\"Nguyễn Văn An\"", "'  padded  '",
    "'{n10}'", "'a<>b'", "'equals'", "'x => y'", "'notequals'", "'10'", "'true'", "'TRUE'",
    "'null'", "'undefined'", "' '",
    "true", "false", "TRUE", "FALSE", "True", "tRuE", "null", "undefined", "NULL", "Null",
    "Undefined", "nullx", "undefinedx", "true1", "trueabc", "falsey",
    "[]", "[1]", "[1, 2, 3]", "['a', 'b']", "[1, 'a', true]", "[1, [2, 3]]", "[,1]", "[1,]",
    "[1 2]", "[[]]", "[{n10}, {s10}]", "[null]", "[1, null]", "[undefined]",
    "abc", "ABC", "Abc_1", "a1b2", "_x", "x_", "abc123", "Infinity", "NaN", "abc def", "1abc",
    "Hà", "đơn", "orange", "android", "notes", "emptyx", "contains", "anyof", "negate", "power",
    "or", "and", "empty", "sum", "iif", "_", "a_b_c",
  ]);
}

function addReferences() {
  for (const k of Object.keys(U)) {
    add(`{${k}}`);
    if (/^[a-z]/.test(k) && k !== k.toUpperCase()) add(`{${k.toUpperCase()}}`);
  }
  addAll([
    "{missing}", "{ n10 }", "{n10 }", "{#n10}", "{#s10}", "{#s007}", "{#strue}", "{#squoted}",
    "{#missing}", "{#}", "{##s10}", "{name with spaces}", "{NAME WITH SPACES}", "{a.b}", "{A.B}",
    "{a.c}", "{a.c[0]}", "{a.c[1]}", "{a.c[-1]}", "{a.c[2]}", "{a.c.length}", "{a.x}",
    "{obj.b}", "{obj.b.c}", "{obj.B.C}", "{OBJ.name}", "{obj.num}", "{obj.Num}", "{#obj.num}",
    "{obj.name.length}", "{obj.missing}", "{obj.b.c.d}",
    "{sarr[0]}", "{sarr[1]}", "{sarr[2]}", "{sarr[-1]}", "{sarr[-2]}", "{sarr[-3]}", "{sarr[ 0 ]}",
    "{sarr[x]}", "{sarr[]}", "{sarr[0.5]}", "{snarr[0]}", "{#snarr[0]}", "{narr[1]}",
    "{narr.length}", "{sarr.length}", "{earr.length}", "{sabc.length}", "{vn.length}",
    "{missing.length}", "{n10.length}", "{nested[0]}", "{nested[0][1]}", "{nested[1].length}",
    "{items[0]}", "{items[0].price}", "{items[1].price}", "{items[-1].name}", "{items[9].name}",
    "{items.price}", "{items.length}", "{rows.r1}", "{rows.r1.price}", "{rows.R2.PRICE}",
    "{marr[1]}", "{marr[2]}", "{marr[3]}", "{mixed}", "{MIXED}", "{mIxEd}",
    "{\"k\":1}", "{\"k\":\"v\",\"n\":[1]}", "{k:1}", "{\"k\"}", "{x:}", "{{n10}}", "{n10}}",
    "{n10", "n10}", "{}", "{ }", "{a b}", "{đơn vị}", "{x-y}", "{1}", "{true}",
  ]);
  add("{đơn vị} + 1", { "đơn vị": 2 });
  // Names compare as JavaScript's toLowerCase() makes them, in any script.
  add("{đơn_vị}", { "Đơn_vị": "Hà Đông" });
  add("{ĐƠN_VỊ} + '!'", { "đơn_vị": "Hà Đông" });
  add("{Ý_KIẾN} notempty", { "ý_kiến": "tốt" });
  add("{hộ.TÊN}", { "Hộ": { "Tên": "Lan" } });
  add("{Hộ[0].tên}", { "hộ": [{ "TÊN": "Lan" }] });
  add("{don_vi}", { "Đơn_vị": "diacritics are part of a name" });
  add("{\u212Am}", { km: 5 }); // the Kelvin sign lower-cases to k
  add("{STRASSE}", { "straße": 1 }); // ß is not SS in lower case
  add("{İd}", { "i\u0307d": 2 });
  add("{x-y} * 2", { "x-y": "3" });
  add("{1} + 1", { 1: 5 });
  add("{true}", { true: "yes" });
  add("{Name}", { name: "lower key" });
  add("{name}", { NAME: "upper key" });
  add("{name}", { Name: "first", name: "second" });
  add("{a.b}", { a: { b: "nested" }, "a.b": "dotted" });
  add("{a.b.c}", { "a.b": { c: 1 }, a: { b: { c: 2 } } });
  add("{a.b.c}", { a: { "b.c": 3 } });
  add("{q1}", { q1: { "": 1 } });
  add("{list[0]}", { list: ["10"] });
  add("{list[0]} + 1", { list: ["10"] });
  add("{list[1]}", { list: [null, "true"] });
  add("{list}", { list: ["true", "10"] });
  // How a string variable value is converted (Const.getCorrectValue).
  const strings = [
    "0", "00", "007", " 007", "-007", "0.", "0.50", "0,5", ",5", "1,5", "1,234", "1,234,5", "1.5.2",
    "0x", "0x10", "0x1a", "0X1A", "0x1G", "1e3", "1e400", "-0", "+5", "5 ", " 5", "\u00a05", "\t7\n",
    "\ufeff5", "1_000", "1 000", "١", "٣", "5%", "2^3", "5-3", "-5", "Infinity", "-Infinity", "NaN",
    "12345678901234567", "123456789012345", "true", "TRUE", "True", "true ", " true", "false", "yes",
    "null", "undefined", "'", "''", "'a'", "\"dq\"", "'a", "a'", "'a\"", "  ", "",
  ];
  for (const s of strings) {
    add("{v}", { v: s });
    add("{#v}", { v: s });
  }
  add("{v} + 1", { v: [5] });
  add("{v} * 2", { v: [5] });
  add("{v} + 0.1", { v: 1e-7 });
  add("0 order");
  for (const s of ["007", " 5 ", "1,5", "0x1A", "true", "'q'", "1e3"]) {
    add("[{v}]", { v: s });
    add("{v} = {w}", { v: s, w: s });
    add("{v[0]}", { v: [s] });
  }
}

function addUnary() {
  for (const o of ALL_OPERANDS) {
    add(`!${o}`);
    add(`negate ${o}`);
    if (!o.startsWith("[")) {
      add(`${o} empty`);
      add(`${o} notempty`);
    }
  }
  addAll([
    "!!1", "!!{missing}", "! 1", "!(1 = 1)", "!(1 = 2) and true", "!{bt} or {bt}", "NEGATE true",
    "Negate false", "negatex", "negate(1)", "!negate true", "[] empty", "[''] empty",
    "(1) empty", "sum(1) empty", "{n10}empty", "{n10} EMPTY", "{n10} Empty", "{n10} NotEmpty",
    "{missing} empty and true", "{missing} empty = true", "{sempty} empty or {n10} empty",
    "{n10} empty empty", "{sspace} empty", "{eobj} empty", "{obj} empty", "{nul} empty",
    "{ntiny} empty", "{n0} notempty", "{bf} notempty", "null empty", "!null", "! {missing}",
    "!0", "!''", "!'0'", "!'false'", "!{sfalse}", "!{strue}", "!{earr}", "!{eobj}",
  ]);
}

function addBinaryMatrix() {
  for (const op of BINOPS) {
    for (const l of CORE) for (const r of CORE) add(`${l} ${op} ${r}`);
    for (let i = 0; i < 16; i++) add(`${pick(ALL_OPERANDS)} ${op} ${pick(ALL_OPERANDS)}`);
  }
}

function addSpellings() {
  const spellings = [
    "||", "&&", "==", "equal", "notequal", "greater", "less", "greaterorequal", "lessorequal",
    "power", "*=", "contain", "notcontain", "<>", "=>", "=<", "equals", "notequals", "EQUAL",
    "Or", "AND", "OR", "Contains", "ANYOF", "AllOf", "NoneOf", "GREATER", "LessOrEqual", "Power",
  ];
  for (const op of spellings) for (let i = 0; i < 8; i++) add(`${pick(ALL_OPERANDS)} ${op} ${pick(ALL_OPERANDS)}`);
  addAll([
    "1||0", "0&&1", "1==1", "1!=1", "1<2", "1<=1", "2>1", "2>=3", "1or0", "1 or2", "1and 0",
    "1 and2", "{n10}and{n10}", "{n10}or{missing}", "{n10} andy", "1 android", "0 order",
    "2 power3", "2power 3", "'abc'contains'b'", "'abc' containsx", "{sarr}anyof['a']",
    "1 equal1", "1 equalx", "1 lessx 2", "1 = = 1", "1 === 1", "1 !== 1", "1 =! 1", "1 >< 2",
    "1 => 2", "2 =< 1", "1 <> 1", "1<>2", "'a' <> 'A'", "1 <= = 2", "1 ! = 2",
  ]);
}

function addPrecedence() {
  addAll([
    "1 + 2 * 3", "(1 + 2) * 3", "2 * 3 + 1", "10 - 4 - 3", "10 - (4 - 3)", "100 / 10 / 5",
    "100 / (10 / 5)", "2 ^ 3 ^ 2", "2 ^ (3 ^ 2)", "-2 ^ 2", "(-2) ^ 2", "0 - 2 ^ 2", "2 * 3 ^ 2",
    "(2 * 3) ^ 2", "2 ^ 3 * 2", "10 % 4 * 3", "10 * 4 % 3", "7 % 4 % 2", "1 + 2 - 3 + 4",
    "2 ^ 2 * 3 ^ 2", "2 + 3 ^ 2", "8 / 2 ^ 2", "-8 / -2", "3 - -3", "3--3", "3+-3", "3 * -1",
    "!true or true", "!(true or true)", "!false and false", "true or false and false",
    "(true or false) and false", "false and true or true", "false and (true or true)",
    "1 or 0 and 0", "0 and 1 or 2", "1 < 2 = true", "1 < 2 < 3", "3 > 2 > 1", "3 > 2 = true",
    "1 = 1 = 1", "2 = 2 = 2", "1 = 1 and 2 = 2", "1 + 1 = 2", "1 + 1 = 1 + 1", "2 > 1 + 3",
    "'a' + 'b' = 'ab'", "1 + 2 contains 3", "'ab' contains 'a' = true", "1 = 1 contains 1",
    "'abc' contains 'a' and 'abc' contains 'z'", "[1,2] anyof [2] or false",
    "{n10} > 5 and {n10} < 20", "{n10} > 5 and {n10} < 20 or {missing} empty",
    "({n10} > 5 and {n10} < 20) or {missing} empty", "{n10} + {s10} * 2", "({n10} + {s10}) * 2",
    "2 * {ndec} ^ 2", "-{n10}", "0 - {n10}", "{n10} * -1", "!{bt} = false", "!({bt} = false)",
    "{missing} empty or {n10} > 1", "{n10} empty = false", "iif(1 > 2, 'a', 'b') + 'c'",
    "sum(1, 2) * 3", "sum(1, 2 * 3)", "max(1, 2) ^ 2", "-max(1, 2)", "!iif(true, false, true)",
    "((((1))))", "(((1 + 2) * (3 + 4)) - 5) / 2", "((1 + 2)", "(1 + 2))", "(1 + (2 * 3)",
    "1 + (2", "(", "()", "(())", "1 * (2 + 3", "(1 or 0", "iif(true, (1 + 2, 3)",
    "1 + 2 * 3 - 4 / 2 % 3 ^ 2", "2 ^ -1 ^ 2", "1 - 2 - 3 - 4", "2 * 2 * 2 * 2 / 4",
    "true and true and false", "false or false or 0", "0 or '' or null", "1 and 2 and 3",
    "'' or 'x' and 'y'", "{missing} or {missing} and 1", "null or null", "null and null",
  ]);
}

// Random nested expressions: precedence, associativity and mixed types at once.
function genExpr(depth) {
  if (depth <= 0 || rand() < 0.25) return pick(ALL_OPERANDS.filter((o) => !o.startsWith("[")));
  const r = rand();
  if (r < 0.1) return `!${genExpr(depth - 1)}`;
  if (r < 0.2) return `(${genExpr(depth - 1)})`;
  if (r < 0.27) return `iif(${genExpr(depth - 1)}, ${genExpr(depth - 1)}, ${genExpr(depth - 1)})`;
  if (r < 0.32) return `sum(${genExpr(depth - 1)}, ${genExpr(depth - 1)})`;
  const op = pick(["or", "and", "=", "!=", "<", ">=", "+", "+", "-", "*", "/", "%", "^", "contains", "anyof"]);
  return `${genExpr(depth - 1)} ${op} ${genExpr(depth - 1)}`;
}
function addGenerated(n) {
  for (let i = 0; i < n; i++) add(genExpr(3));
}

function addCoercions() {
  addAll([
    // equality
    "1 = '1'", "'1' = 1", "1 = '1.0'", "10 = '1e1'", "10 = '10 '", "10 = ' 10'", "7 = '007'",
    "{s007} = 7", "{s007} = '7'", "{s007} = '007'", "'007' = 7", "0 = ''", "0 = null", "0 = false",
    "1 = true", "2 = true", "'' = null", "'' = {missing}", "' ' = ''", "' ' = {missing}",
    "{sspace} = {missing}", "{sspace} = ''", "[] = null", "[] = {missing}", "{earr} = {missing}",
    "{eobj} = {missing}", "{missing} = 'undefined'", "{missing} = undefined", "'undefined' = null",
    "'null' = null", "null = 0", "'abc' = 'ABC'", "'abc ' = ' ABC'", "{vn} = {vnlow}",
    "{vn} = {vnup}", "{vn} = {vnascii}", "{vn} = {vnnfd}", "{vnname} = {vnnameup}", "'Đ' = 'đ'",
    "'ß' = 'SS'", "'İ' = 'i'", "true = 'true'", "true = 'TRUE'", "true = 'yes'", "false = ''",
    "false = 'false'", "false = 0", "{bf} = {sfalse}", "{bt} = {strue}", "{strue} = 'TRUE'",
    "['a', 'b'] = ['b', 'a']", "['a', 'b'] = ['A', 'B']", "[1, 2] = ['1', '2']", "[1, 2] = [1, 2, 2]",
    "[1, 2, 2] = [2, 1, 1]", "[] = []", "[1] = 1", "1 = [1]", "{obj} = {obj}", "{eobj} = {eobj}",
    "{eobj} = {earr}", "{date} = '2024-02-29'", "{date} = '2024-2-29'", "{scomma} = 1.5",
    "{scomma} = '1,5'", "'1,5' = 1.5", "{shex} = 26", "'0x1A' = 26", "{sexp} = 1000",
    "'1e3' = 1000", "{squoted} = 'quoted'", "{s5sp} = 5", "{s5sp} = ' 5 '", "1 != '1'",
    "'a' != 'A'", "{missing} != ''", "{missing} != 0", "null != undefined",
    // numeric strings in arithmetic
    "'1' + 1", "1 + '1'", "'1' + '1'", "{s10} + 1", "{s10} + {s10}", "{s10} + '1'", "'10' - 1",
    "'10' * '2'", "'10' / '4'", "'10' % '4'", "'2' ^ '3'", "{s007} + 1", "{s007} - 1",
    "{s007} * 1", "{s5sp} + 1", "{sdec} + 1", "{scomma} + 1", "{scomma2} + 1", "{shex} + 1",
    "'0x1A' + 1", "{sexp} + 1", "{sneg} + 1", "{splus} + 1", "{sinf} + 1", "{slong} + 1",
    "{smixed} + 1", "{smixed} * 1", "'abc' * 2", "'abc' - 1", "'' * 2", "'' + 1", "'' + ''",
    "'' - ''", "1 + true", "true + true", "true * 3", "'a' + true", "'a' + 1.50", "'a' + 0.1",
    "'a' + 1 / 3", "'a' + {nbig}", "'a' + {ntiny}", "'a' + -0", "'a' + [1, 'b']", "[1, 'b'] + 'a'",
    "'a' + []", "'a' + {obj}", "'a' + {eobj}", "'a' + {missing}", "{missing} + 'a'",
    "{missing} + {missing}", "{missing} + 1", "{missing} - 1", "{missing} * 5", "{missing} / 5",
    "5 / {missing}", "{missing} % 2", "{missing} ^ 2", "2 ^ {missing}", "null + null",
    "null - null", "null * null", "{sempty} + 1", "{sempty} * 3", "1 - {sempty}", "{earr} + 1",
    "{earr} + 'x'", "{earr} + {earr}", "{earr} + [1]", "[1, 2] + [3]", "[1, 2] + 5", "5 + [1, 2]",
    "['a'] + 5", "[1, '2', 3] + 1", "[0.1, 0.2] + 0", "{narr} + 1", "{snarr} + 1", "{marr} + 0",
    "{narr} - 1", "{narr} * 2", "{bt} + 1", "{strue} + 1", "{sfalse} * 5", "{bt} + 'x'",
    // division, modulo, powers
    "1 / 0", "0 / 0", "-1 / 0", "1 % 0", "5 % 0.5", "5.5 % 2", "-7 % 3", "7 % -3", "1 / {n0}",
    "1 / {sempty}", "1 / {missing}", "1 / '0'", "1 / false", "1 / true", "{n10} / 4", "10 / 3",
    "2 / 3 * 3", "0.3 / 0.1", "2 ^ 0.5", "(-8) ^ (1 / 3)", "-8 ^ 0.5", "2 ^ 1000", "2 ^ -1074",
    "0 ^ 0", "10 ^ 21", "10 ^ 20", "10 ^ -7", "1.5e2", "2 ^ 53 + 1",
    // decimal correction
    "0.1 + 0.2", "0.1 + 0.7", "0.3 - 0.1", "1.1 * 1.1", "3 * 1.1", "0.1 * 3", "1.005 * 1000",
    "0.1 * 0.2", "100 * 1.1", "1.15 * 100", "19.99 * 3", "0.57 * 100", "4.35 * 100",
    "1.1 + 2.22 + 3.333", "0.00000015 + 0", "{ntiny} + 0", "{ntiny} * 1", "{ntiny} - 0",
    "{ntiny} * 2", "{ntiny} / 1", "{n01} + {n02}", "{nbig} + 1", "{nbig} * 10", "1e21",
    "0.1 + 0.2 = 0.3", "{n01} + {n02} = 0.3", "'0.1' + 0.2", "{s10} + 0.1", "1 - 0.9",
    "2.675 * 1", "1.23456789 * 1", "1.5 + 1.5", "2.50 + 1", "12.345 - 0.005", "1.1 ^ 2",
    // comparisons
    "'10' > '9'", "{s10} > {s9}", "'10' > 9", "10 > '9'", "'abc' < 'abd'", "'abc' < 'ABD'",
    "'B' > 'a'", "'a' < 'B'", "'a' <= 'A'", "'a' >= 'A'", "'a' < 'A'", "'Ă' > 'Z'", "'é' > 'f'",
    "{vn} > {vnascii}", "{vnlow} < {vnup}", "'' < 1", "'' > -1", "'' >= 0", "'' <= 0", "'' < 'a'",
    "null < 1", "null > -1", "null <= null", "null >= null", "null < null", "{missing} < 1",
    "{missing} >= 0", "{missing} <= 0", "0 >= {missing}", "{missing} <= ''", "{sempty} < 1",
    "true > false", "true >= 1", "false < 1", "true > 0.5", "'true' > 'false'", "{earr} < 1",
    "{earr} <= 0", "[1, 2] < [1, 3]", "[2] > 1", "[10] > [9]", "['10'] > ['9']", "{eobj} < 1",
    "{obj} > 1", "'abc' > 1", "'abc' < 1", "{sabc} >= {sabc}", "1 < 2 < 3", "3 > 2 > 1",
    "{date} < {date2}", "{date} > '2024-02-28'", "{date} < '2024-3-1'", "'2024-10-01' > '2024-9-01'",
    "{dshort} < {date}", "{n10} > {s9}", "{n10} > '9'", "'10' >= 10", "'10.0' <= 10",
    "{nbig} > 1", "-1 < -0.5", "{nneg} < {n0}", "{ndec} > {sdec}", "{ndec} >= {sdec}",
    "{scomma} > 1", "{scomma} < 2", "'1,5' > 1", "{shex} > 25", "'x' > 'X'", "'x' >= 'X'",
  ]);
  addAll([
    "{sarr} contains ' a '", "'abc' contains ' b'", "{narr} contains '02'", "{narr} contains [1, 5]",
    "[1, [2]] contains [2]", "[1, [2]] contains [[2]]", "'b' anyof {sarr}", "'ab' anyof {sarr}",
    "'ab' allof {sarr}", "{sarr} = 'a,b'", "'ä' > 'b'", "'10' < '9'", "10 < '9'", "'abc' < 'abcd'",
    "true < 2", "[3] < 5", "[1, 2] > 1", "'2024-02-29' = '2024-02-29T00:00:00'",
    "getDate('2024-02-29') = '2024-02-29T00:00:00'", "'  ' = ''", "'0' = 0", "'0' = false",
    "'false' = false", "'False' = false", "'   ' empty",
    "[null, 1]", "{earr} or 5", "{earr} or 'x'", "{eobj} or 5", "{eobj} = {earr}", "{missing} <= ''",
    "'x' + [1, [2, 3]]", "[1, 'a', 2.5] + 1", "'5' * {missing}", "{missing} - '5'", "'' - 5", "'a' - ''",
    "{earr} * 3", "{earr} + {eobj}", "{eobj} + 1", "true + null",
    "'0x1A' = 26", "'1e3' = 1000", "{earr} = 'undefined'", "'1,5' = 1.5", "' 5' = 5", "true = 'TRUE '",
    "1 = '1abc'", "[' a'] = ['A']", "[10, 9] = [9, 10]", "['10', 9] = [9, '10']", "'' = ' '", "null = ' '",
    "{obj} contains 'object'", "0 contains 0", "10 contains 0", "10 contains 1", "true contains true",
    "false contains 'f'", "{sarr} contains []", "{sarr} notcontains []", "{missing} notcontains ''",
    "'abc' notcontains 'B'", "today() contains 'Nov'", "{sarr} anyof {missing}", "{sarr} allof {missing}",
    "'' allof ['a']",
  ]);
  add("{equals}", { equals: 1, "equal ": 2 });
  add("{notequals} + 1", { notequals: 1, "notequal ": 2 });
  add("{a} = 'x=>y'", { a: "x>=y" });
  add("{objs} contains {objs[0]}", { objs: [{ a: 1 }] });
  for (const o of [{ a: "" }, { a: { b: [] } }, { a: 0 }, { a: null }, { a: false }, { a: " " }]) {
    add("{o} empty", { o });
    add("{o} = {missing}", { o });
    add("{o} or 'x'", { o });
  }
}

function addFunctions() {
  // numeric aggregates
  const aggArgs = [
    "", "1", "1, 2, 3", "3, 1, 2", "{n10}, {s10}", "{narr}", "{snarr}", "{marr}", "{narr}, 4",
    "'a', 1", "1, 'a'", "'b', 'a'", "true, 1", "{missing}, 1", "1, {missing}", "{sempty}, 2",
    "{earr}", "0.1, 0.2", "-1, -2", "{sabc}", "{sarr}", "[1, [2, 3]]", "{nested}", "{scomma}, 1",
    "{shex}", "{s007}, 1", "{strue}", "{nbig}", "{ntiny}", "2.345, 2", "-2.5", "1.005, 2", "'3.7'",
    "123.456, -1", "1.5, '1'", "2.789, 0", "{s5sp}", "null, 1", "1, null", "{eobj}", "{obj}",
    "{date}", "1, '10', 9", "{vn}, {vnascii}", "{items}",
  ];
  for (const f of ["sum", "min", "max", "avg", "count", "round", "trunc"])
    for (const a of aggArgs) add(`${f}(${a})`);
  addAll([
    "round(2.5)", "round(-2.5)", "round(0.5)", "round(-0.5)", "round(1.45, 1)", "round(1.55, 1)",
    "round(2.675, 2)", "round(1234.5678, -2)", "round(1, 2, 3)", "round({ndec})", "round('x', 1)",
    "round(1, 'x')", "round(1.26, 1.5)", "trunc(1.999999, 3)", "trunc(-0.5)", "trunc(0.000001234, 8)",
    "trunc({ntiny}, 2)", "trunc({nbig})", "round({nbig})", "trunc(12345678.9, 1)", "trunc(1, 2, 3)",
    "trunc('x')", "trunc(true)", "round(true)", "avg(1, 2, 4)", "avg(0.1, 0.2)", "avg('1', '2')",
    "max(true, 2)", "min(false, 1)", "min('2', 10)", "max('abc', 'abd')", "max({date}, {date2})",
    "min({vn}, {vnascii}, {vnname})", "count({narr}, {sarr})", "count(0, false, '')",
    "sum(1, 2) + sum(3)", "sum(sum(1, 2), 3)", "sum(1, 2", "sum(1,,2)", "sum(,1)", "sum(1 2)",
    "sum (1, 2)", "SUM(1, 2)", "Sum(1)", "unknownFunction(1)", "foo()", "foo", "sum", "iif",
    "sum()()", "sum(1)(2)", "count(1, 2, null, 3)", "sum(2.5, 'x')", "sum('x', 2.5)", "sum(1, 'x')", "sum(1, null)", "max(null)", "min(undefined, 1)",
  ]);

  // iif
  const conds = ["true", "false", "1", "0", "''", "'a'", "'false'", "{strue}", "{sfalse}", "{missing}",
    "{earr}", "{sarr}", "{eobj}", "null", "1 > 0", "{n10} > 5", "{sempty}", "{n0}", "'0'"];
  for (const c of conds) add(`iif(${c}, 'yes', 'no')`);
  addAll([
    "iif(true, 'a')", "iif(false, 'a')", "iif(true)", "iif()", "iif(true, 1, 2, 3)",
    "iif(true, null, 1)", "iif(false, 1, null)", "iif(true, {missing}, 1)", "iif(true, {narr}, 1)",
    "iif(false, 1, iif(true, 2, 3))", "iif(iif(true, false, true), 1, 2)", "iif({n10} > 5, {n10} * 2, 0)",
    "iif(true, 'a', 'b') + iif(false, 'a', 'b')", "iif({bt}, {s10}, 0) + 1", "IIF(true, 1, 2)",
    "iif(true, today(), 0)", "iif(true, [1, 2], 0)",
  ]);

  // in-array functions
  const arrFns = ["sumInArray", "countInArray", "minInArray", "maxInArray", "avgInArray"];
  const arrArgs = [
    "{items}, 'price'", "{items}, price", "{items}, 'qty'", "{items}, 'PRICE'", "{items}, 'name'",
    "{items}, 'ok'", "{items}, 'nope'", "{items}", "{items}, 1", "{items}, 'qty', {qty} > 1",
    "{items}, 'qty', '{qty} > 1'", "{items}, 'qty', 'qty > 1'", "{items}, 'qty', {ok}",
    "{items}, 'qty', {ok} = true", "{items}, 'qty', 'name'", "{items}, 'qty', 'name', {qty} > 1",
    "{items}, 'qty', 'name', '{price} > 3'", "{items}, 'price', 'name'", "{items}, 'qty', true",
    "{items}, 'qty', false", "{items}, 'qty', 'true'", "{items}, 'qty', {n10}",
    "{items}, 'qty', {name} = 'đ'", "{items}, 'qty', {name} anyof ['a', 'b']",
    "{items}, 'qty', {price} notempty", "{items}, 'qty', 'x', 'y', 'z'", "{rows}, 'price'",
    "{rows}, 'qty'", "{rows}, 'price', {qty} > 0", "{eitems}, 'price'", "{missing}, 'price'",
    "{sabc}, 'price'", "{n10}, 'price'", "{narr}, 'price'", "[], 'x'", "{obj}, 'c'",
    "{items}, 'qty', {missing} empty", "{items}, 'qty', {qty} > {n10}",
  ];
  for (const f of arrFns) for (const a of arrArgs) add(`${f}(${a})`);
  add("sumInArray({rows}, 'v')", { rows: [{ v: 1 }, { v: "2" }, { v: "1,5" }, { v: true }, { v: "007" }] });
  add("maxInArray({rows}, 'v')", { rows: [{ v: "b" }, { v: "a" }, { v: 3 }] });
  add("minInArray({rows}, 'v')", { rows: [{ v: "10" }, { v: 9 }, { v: "x" }] });
  add("countInArray({rows}, 'v')", { rows: [{ v: 0 }, { v: false }, { v: "" }, { v: [] }, { v: {} }, null, { V: 1 }] });
  add("avgInArray({rows}, 'v')", { rows: [{ v: 1 }, { v: "x" }, { v: 2 }] });
  add("sumInArray({panel}, 'age', {age} >= 18)", { panel: [{ age: 17 }, { age: 18 }, { age: "30" }] });
  add("countInArray({panel}, 'sex', {sex} = 'nữ')", { panel: [{ sex: "Nữ" }, { sex: "nam" }, { sex: "NỮ" }] });

  // dates
  const dateArgs = ["{date}", "{dtime}", "{dtimez}", "{dshort}", "{ddmy}", "{dbad}", "{birth}",
    "{birth2}", "{leap}", "{ms}", "{missing}", "{sempty}", "'2024-01-31'", "'2023-12-31'", "'2024'",
    "'2024-13-01'", "'2024-02-30'", "0", "1", "today()", "currentDate()", "{n10}"];
  for (const d of dateArgs) {
    for (const f of ["getDate", "age", "year", "month", "day", "weekday", "getYear"]) add(`${f}(${d})`);
    add(`age(${d}, 'months')`);
    add(`diffDays(${d}, '2024-03-01')`);
    add(`dateDiff(${d}, '2024-03-01')`);
    add(`dateAdd(${d}, 1)`);
    add(`${d} < today()`);
  }
  addAll([
    "today()", "today(1)", "today(-1)", "today(0)", "today(366)", "today('1')", "today(1, 2)",
    "today(1.5)", "today({s10})", "today({missing})", "currentDate()", "currentDate(1)",
    "currentYear()", "currentYear(2000)", "year()", "month()", "day()", "weekday()", "getYear()",
    "getDate()", "getDate('')", "age()", "age(null)", "age({birth}, 'days')", "age({birth}, 'years')",
    "age({birth}, 'weeks')", "age({leap})", "age('2008-11-26')", "age('2008-11-27')", "age('2026-11-27')",
    "dateDiff({birth}, {date})", "dateDiff({birth}, {date}, 'days')", "dateDiff({birth}, {date}, 'months')",
    "dateDiff({birth}, {date}, 'years')", "dateDiff({date}, {birth}, 'years')",
    "dateDiff({date}, {birth}, 'months')", "dateDiff({date}, {birth})", "dateDiff({date}, {dtime}, 'hours')",
    "dateDiff({date}, {dtime}, 'minutes')", "dateDiff({date}, {dtime}, 'seconds')",
    "dateDiff({dtime}, {date}, 'hours')", "dateDiff({date}, {dtime}, 'weeks')", "dateDiff({date}, {dbad})",
    "dateDiff({date})", "dateDiff()", "dateDiff('2024-01-31', '2024-02-29', 'months')",
    "dateDiff('2024-01-31', '2024-03-01', 'months')", "dateDiff('2023-02-28', '2024-02-29', 'years')",
    "dateDiff('2024-02-29', '2025-02-28', 'years')", "dateDiff('2024-02-29', '2025-03-01', 'years')",
    "dateDiff({date}, today())", "dateDiff({date}, currentDate(), 'hours')",
    "dateAdd({date}, 1, 'days')", "dateAdd({date}, 1, 'months')", "dateAdd({date}, 1, 'years')",
    "dateAdd({date}, -1, 'years')", "dateAdd({date}, 4, 'years')", "dateAdd({date}, 2, 'hours')",
    "dateAdd({date}, 90, 'minutes')", "dateAdd({date}, 3600, 'seconds')", "dateAdd({date}, 0)",
    "dateAdd({date}, '1')", "dateAdd({date}, {s10})", "dateAdd({date}, 1.5)", "dateAdd({date}, 1, 'weeks')",
    "dateAdd({date}, 1, 'DAYS')", "dateAdd('2024-01-31', 1, 'months')", "dateAdd('2024-03-31', -1, 'months')",
    "dateAdd(today(), 7)", "dateAdd(currentDate(), -1)", "dateAdd({dbad}, 1)", "dateAdd({missing}, 1)",
    "dateAdd({date})", "dateAdd()", "dateAdd({dtimez}, 1)", "diffDays({date}, '2024-03-01')",
    "diffDays('2024-03-01', {date})", "diffDays({date})", "diffDays({date}, {dbad})",
    "diffDays({dtime}, '2024-03-01T01:00:00')", "diffDays({date}, {date})", "diffDays(today(), {birth})",
    "diffDays({date}, '2024-03-01', 1)", "diffDays()", "year({dtimez})", "day({dtimez})",
    "year('2024')", "month('2024-02')", "year(1)", "weekday('2024-03-03')", "weekday('2024-03-02')",
    "today() = '2026-11-26'", "today() = '2026-11-26T00:00:00'", "currentDate() = '2026-11-26'",
    "currentDate() > '2026-11-26'", "currentDate() > '2026-11-26T09:59'", "currentDate() > '2026-11-26T09:59:59'",
    "currentDate() = '2026-11-26T10:00'", "today() > '2026-11-25'", "today() < '2026-11-26T00:00:01'",
    "today() >= '2026-11-26'", "today() <= {date}", "getDate({date}) = {date}",
    "getDate({date}) = getDate('2024-02-29')", "getDate({date}) > getDate('2024-01-01')",
    "getDate({date}) < getDate({date2})", "getDate({date}) != getDate({date2})", "today() = today()",
    "today() = currentDate()", "today() < currentDate()", "getDate({date}) = 1709164800000",
    "getDate({date}) > 0", "getDate({date}) empty", "today() notempty", "today() + 1",
    "today() + 'x'", "currentDate() - today()", "today() - getDate('2026-11-25')", "today() * 1",
    "today() / 86400000", "age('2010-01-01') >= 16", "age({birth}) + 1", "year({date}) + 1",
    "{date} < today()", "{date} = getDate({date})", "[today()]", "sum(today())", "max(today(), 0)",
    "iif(today() > '2026-01-01', 'after', 'before')", "today() contains '2026'", "{dtime} = getDate({dtime})",
    "getDate({dtime}) = '2024-02-29'", "getDate({dtime}) > '2024-02-29'", "getDate({dtime}) > '2024-02-29T10:29'",
    "getDate({dtime}) = '2024-02-29T10:30'",
  ]);

  // substring
  const subArgs = ["'Hà Nội', 0, 2", "'Hà Nội', 3", "{vnname}, 0, 6", "{vnnfd}, 0, 2", "'abc', '1'",
    "'abc', 'x'", "'abc'", "123, 1", "{s10}, 1", "'abcdef', 4, 1", "'abcdef', -2", "'abcdef', 2, -1",
    "'abc', 1, 'x'", "'abc', 1.7", "'abc', 0, 100", "'abc', 5", "'', 0", "{missing}, 0", "{sabc}, {n0}, {s10}",
    "'abc', null", "'abc', 1, null", "'abc', true", "'abc', '', 2", "'abc', ' 1 '", "'😀x', 1", "'abc', 1, 2, 3",
    "{sarr}, 0", "'abc', {scomma}"];
  for (const a of subArgs) add(`substring(${a})`);
  add("substring()");
  add("substring({sabc}, 1) + substring({vn}, 0, 1)");
  add("isDisplayMode()");
  add("propertyValue('a', 'b')");
}

function addSyntax() {
  addAll([
    "", " ", "1 +", "+", "1 + + 2", "* 2", "{a", "a}", "'unterminated", "\"unterminated", ")", "(",
    "1)", "1 2", "1 (2)", "'a' 'b'", "{n10} {n10}", "[1, 2", "[1, 2]]", "]", "[", ",", "1,", "1, 2",
    "@", "#", "$", "1 ; 2", "1 & 2", "1 | 2", "1 && ", "|| 1", "and", "or 1", "1 or", "not 1",
    "1 = ", "= 1", "<", "1 < ", "1 <", "!", "!(", "empty", "{n10} empty 1", "{n10} = 1 = ",
    "sum(", "sum(1", "sum(1,", "sum(1, 2))", "sum[1]", "(1 + 2", "((1 + 2)", "(1 + 2)) + 1",
    "1 + (", "1 + ()", "iif(", "iif(true, ", "'a\\'", "'\\''", "\"\\\"\"", "'\\\\'", "1\n+\n2",
    "\t1 +\t2 ", "1\r\n= 1", "1 + 2 # comment", "// 1", "1 /* x */ + 2", "1 . 2", "1.2.3",
    "0x", "0x1G", "0b101", "1_000", "1,000", "１", "٣", "１ + 1", "1 × 2", "2 ÷ 1", "a.b", "a[0]",
    "a + b", "ab + 1", "{n10}.length", "{sarr}[0]", "[1, 2][0]", "{n10} ? 1 : 2", "x = 1",
    "'a' = 'a' = 'a'", "!=", "==", "=", "!==", "1 !== 1", "1 <=> 2", "1 ** 2", "1 // 2", "-",
    "- 1", "--1", "-{n10}", "-(1)", "-abc", "- 'a'", "1 - - 1", "1 -- 1", "1--1", "1 - -1", "1-1",
    "1 -1", "1 - 1", "-1-1", "2*-1", "2*-{n10}", "{n10}-1", "{n10} -1", "{n10}- 1",
    "contains", "'a' contains", "'a' contains contains", "1 anyof", "1 anyof anyof", "[] anyof",
    "{sarr} anyof", "{sarr} allof", "{sarr} noneof", "{sarr} notcontains", "{earr} notcontains",
    "'abc' contains 'b' contains true", "'abc' contains ('b' contains 'b')",
    "1 == 1 == 1", "(1 = 1) = (2 = 2)",
  ]);
}

// The same expression under many value sets: {a} and {b} take each value.
const VALUE_POOL = [
  10, 0, -3, 2.5, 1e21, "10", "007", " 5 ", "2.50", "1,5", "0x1A", "1e3", "abc", "ABC", "", "  ",
  true, false, "true", "false", null, undefined, [], ["a", "b"], [1, 2, 3], ["1", "2"], {}, { x: 1 },
  "2024-02-29", "Hà Nội", "HÀ NỘI", NFD, "'quoted'", "a",
];
function withAB(a, b) {
  const v = {};
  if (a !== undefined) v.a = a;
  if (b !== undefined) v.b = b;
  return v;
}
function addSweeps() {
  const one = [
    "{a}", "{a} + 1", "{a} + 'x'", "{a} - 1", "{a} * 2", "{a} / 2", "{a} = 10", "{a} = 'abc'",
    "{a} = true", "{a} = ''", "{a} > 5", "{a} <= 'b'", "{a} empty", "!{a}", "{a} or 'd'",
    "{a} and 'd'", "{a} contains 'a'", "{a} notcontains 'a'", "{a} anyof ['a', '1', 10]",
    "{a} allof ['a', 'b']", "iif({a}, 1, 2)", "sum({a}, 1)", "max({a}, 1)", "round({a})",
    "{#a} + 1", "{a.length}", "{a[0]}", "{A}", "getDate({a})",
  ];
  for (const t of one) for (const a of VALUE_POOL) add(t, withAB(a, undefined));
  const two = ["{a} + {b}", "{a} = {b}", "{a} < {b}", "{a} >= {b}", "{a} contains {b}", "{a} anyof {b}",
    "{a} and {b}", "{a} - {b}", "{a} * {b}", "{a} != {b}"];
  for (const t of two) for (let i = 0; i < 15; i++) add(t, withAB(pick(VALUE_POOL), pick(VALUE_POOL)));
}

// A few lines with other clocks, to check that "now" is honoured.
function addClocks() {
  const nows = ["2024-02-29T23:59:59Z", "2025-01-01T00:00:00Z", "1999-12-31T12:00:00Z", "2026-11-26T00:00:00Z"];
  const exprs = ["today()", "currentDate()", "currentYear()", "year()", "month()", "day()", "weekday()",
    "age('2000-02-29')", "age('1990-01-01', 'months')", "today(1)", "dateAdd(today(), 1, 'years')",
    "diffDays(today(), '2024-01-01')", "today() = '2024-02-29'"];
  for (const n of nows) for (const e of exprs) add(e, {}, n);
}

const sections = [];
let _c = 0;
const _mark = (n) => {
  sections.push(`${n} ${lines.length - _c}`);
  _c = lines.length;
};
addLiterals(); _mark("literals");
addReferences(); _mark("refs");
addUnary(); _mark("unary");
addBinaryMatrix(); _mark("matrix");
addSpellings(); _mark("spell");
addPrecedence(); _mark("prec");
addGenerated(150); _mark("gen");
addCoercions(); _mark("coerce");
addFunctions(); _mark("fn");
addSyntax(); _mark("syntax");
addSweeps(); _mark("sweeps");
addClocks(); _mark("clocks");

fs.writeFileSync(CORPUS, lines.join("\n") + "\n");
console.log(`corpus.mjs: wrote ${lines.length} lines to ${CORPUS} (${sections.join(", ")})`);

// Writes a generated form to stdout: 500 questions and 200 conditions.
// Question q1 has 50 dependents (the worst keystroke in the renderer
// benchmarks); the rest depend on one or two earlier answers.
// Deterministic: a seeded generator, so every run measures the same form.
//   node bench/gen-form.mjs [questions] [conditions] [pages]
// With pages > 1 (bench/compare.mjs uses 10) the same questions and
// conditions are laid out on that many pages: the first holds q1 and its
// dependents, so a keystroke in q1 changes what is on screen; the others
// share the rest, each starting with questions that are always shown.
// One page (the default) is what bench/logic.sh uses.
const QUESTIONS = Number(process.argv[2] || 500);
const CONDITIONS = Number(process.argv[3] || 200);
const PAGES = Number(process.argv[4] || 1);

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (n) => 1 + Math.floor(rand() * n);

const elements = [];
for (let i = 1; i <= QUESTIONS; i++) {
  const name = `q${i}`;
  const kind = i % 3;
  const q =
    kind === 0
      ? { type: "radiogroup", name, title: `Câu ${i}`, choices: ["a", "b", "c"] }
      : kind === 1
        ? { type: "text", name, title: `Câu ${i}`, inputType: "number" }
        : { type: "checkbox", name, title: `Câu ${i}`, choices: ["x", "y", "z"] };
  elements.push(q);
}
// Conditions go on the last CONDITIONS questions; the first 50 of them read q1.
for (let c = 0; c < CONDITIONS; c++) {
  const target = elements[QUESTIONS - CONDITIONS + c];
  const ref = c < 50 ? 1 : pick(QUESTIONS - CONDITIONS);
  const other = pick(QUESTIONS - CONDITIONS);
  const cond = (n) => (n % 3 === 0 ? `{q${n}} = 'a'` : n % 3 === 1 ? `{q${n}} > ${pick(9)}` : `{q${n}} contains 'y'`);
  target.visibleIf = c % 2 === 0 ? cond(ref) : `${cond(ref)} or ${cond(other)} and {q${other}} notempty`;
}
let pages = [elements];
if (PAGES > 1) {
  const start = QUESTIONS - CONDITIONS, dependents = Math.min(50, CONDITIONS);
  const plain = elements.slice(1, start), conditional = elements.slice(start + dependents);
  const slice = (list, i) => list.slice(Math.round((i * list.length) / (PAGES - 1)), Math.round(((i + 1) * list.length) / (PAGES - 1)));
  pages = [[elements[0], ...elements.slice(start, start + dependents)]];
  for (let i = 0; i < PAGES - 1; i++) pages.push([...slice(plain, i), ...slice(conditional, i)]);
}
console.log(JSON.stringify({ title: "Benchmark", pages: pages.map((elements, i) => ({ name: `p${i + 1}`, elements })) }));

// The HTML report's only script, inlined into report.html (its CSP allows this text by its hash).
// Every row is in the page; this sorts a `table.data` by a header, filters it by text and by the
// columns whose header has `data-filter` (namespace, cluster, status), and shows it in pages.
// It reads and writes the page only: no request, no storage. Without it every row shows.
(() => {
  const PAGE = 25;
  const UNITS = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, m: 1e-3 };
  const NUMBER = /^[+-]?\$?([\d,]*\.?\d+)\s*(%|m|B|KiB|MiB|GiB|TiB)?$/;

  // A cell's sort key: its data-v, else the number its text starts with ($1,234.50, 46.3%, 250m, 1.5 GiB), else its text.
  function sortKey(cell) {
    if (!cell) return "";
    const given = cell.getAttribute("data-v");
    if (given !== null) return Number(given);
    const text = cell.textContent.trim();
    const first = text.split(/\s+(?:→|\/|–|\()\s*/)[0];
    const match = NUMBER.exec(first);
    if (!match) return text.toLowerCase();
    const value = Number(match[1].replace(/,/g, "")) * (UNITS[match[2]] || 1);
    return first.startsWith("-") ? -value : value;
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "number") return -1;
    if (typeof b === "number") return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function filterValue(cell) {
    return cell ? (cell.getAttribute("data-f") ?? cell.textContent.trim()) : "";
  }

  function setUp(table) {
    const body = table.tBodies[0];
    const headers = Array.from(table.tHead ? table.tHead.rows[0].cells : []);
    if (!body || headers.length === 0) return;
    const rows = Array.from(body.rows);
    const state = { page: 0, all: false, text: "", selects: new Map() };
    const tools = document.createElement("div");
    tools.className = "tools";
    const count = document.createElement("span");

    function shown() {
      return rows.filter((row) => !row.classList.contains("filtered"));
    }

    function paint() {
      const visible = shown();
      const pages = Math.max(1, Math.ceil(visible.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      visible.forEach((row, i) => {
        const onPage = state.all || Math.floor(i / PAGE) === state.page;
        row.classList.toggle("paged", !onPage);
      });
      const from = visible.length ? state.page * PAGE + 1 : 0;
      const to = Math.min(visible.length, (state.page + 1) * PAGE);
      count.textContent = state.all
        ? `${visible.length} of ${rows.length} rows`
        : `rows ${from}–${to} of ${visible.length}${visible.length < rows.length ? ` (${rows.length} in all)` : ""}`;
      prev.disabled = state.all || state.page === 0;
      next.disabled = state.all || state.page >= pages - 1;
      all.textContent = state.all ? `Pages of ${PAGE}` : "Show all";
    }

    function filter() {
      for (const row of rows) {
        let keep = !state.text || row.textContent.toLowerCase().includes(state.text);
        for (const [index, value] of state.selects) {
          if (value && filterValue(row.cells[index]) !== value) keep = false;
        }
        row.classList.toggle("filtered", !keep);
      }
      state.page = 0;
      paint();
    }

    const search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Filter rows";
    search.setAttribute("aria-label", "Filter rows");
    search.addEventListener("input", () => {
      state.text = search.value.trim().toLowerCase();
      filter();
    });
    tools.append(search);

    headers.forEach((th, index) => {
      if (th.hasAttribute("data-filter")) {
        const values = [...new Set(rows.map((row) => filterValue(row.cells[index])))].sort();
        if (values.length > 1) {
          const select = document.createElement("select");
          select.setAttribute("aria-label", th.textContent.trim());
          select.append(new Option(`${th.textContent.trim()}: all`, ""));
          for (const value of values) select.append(new Option(value, value));
          select.addEventListener("change", () => {
            state.selects.set(index, select.value);
            filter();
          });
          tools.append(select);
        }
      }
      th.setAttribute("aria-sort", "none");
      th.tabIndex = 0;
      const sort = () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        for (const other of headers) other.setAttribute("aria-sort", "none");
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const keyed = rows.map((row, i) => [sortKey(row.cells[index]), i, row]);
        keyed.sort((a, b) => (ascending ? compare(a[0], b[0]) : compare(b[0], a[0])) || a[1] - b[1]);
        rows.length = 0;
        for (const [, , row] of keyed) {
          rows.push(row);
          body.append(row);
        }
        paint();
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sort();
        }
      });
    });

    const button = (label, action) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.addEventListener("click", () => {
        action();
        paint();
      });
      tools.append(b);
      return b;
    };
    const prev = button("‹ Previous", () => {
      state.page -= 1;
    });
    const next = button("Next ›", () => {
      state.page += 1;
    });
    const all = button("Show all", () => {
      state.all = !state.all;
      state.page = 0;
    });
    tools.append(count);
    const box = table.parentElement?.classList.contains("tw") ? table.parentElement : table;
    // A short table is only sortable; a longer one gets the filter and the pages.
    if (rows.length > 10) box.before(tools);
    paint();
  }

  for (const table of document.querySelectorAll("table.data")) setUp(table);

  // Printing shows every paste block: open the closed ones, close them again afterwards.
  let opened = [];
  addEventListener("beforeprint", () => {
    opened = Array.from(document.querySelectorAll("details:not([open])"));
    for (const d of opened) d.open = true;
  });
  addEventListener("afterprint", () => {
    for (const d of opened) d.open = false;
    opened = [];
  });
})();

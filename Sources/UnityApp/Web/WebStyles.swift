/// Styles for the pages' components, appended to `WebPage.stylesheet` (which holds the palette
/// and base elements). Hand-written, no framework; narrow screens (390 px) stack and scroll tables.
enum WebStyles {
    static let components = """
    :root { --ok: #1a7f37; --warn: #9a6700; --chart: #2457c5; }
    @media (prefers-color-scheme: dark) { :root { --ok: #56d364; --warn: #e3b341; --chart: #7aa2ff; } }
    header.top { flex-wrap: wrap; }
    header.top .brand { text-decoration: none; color: var(--fg); margin-right: 0; }
    nav ul.nav { display: flex; flex-wrap: wrap; gap: .2rem .9rem; list-style: none; margin: 0; padding: 0; }
    nav a { text-decoration: none; padding: .2rem 0; }
    nav a[aria-current="page"] { font-weight: 700; border-bottom: 2px solid var(--accent); }
    .who { margin-left: auto; display: flex; gap: .8rem; align-items: center; flex-wrap: wrap; }
    .who form { margin: 0; }
    h1 { font-size: 1.5rem; margin: .2rem 0 1rem; }
    h2 { font-size: 1.15rem; margin: 0 0 .6rem; }
    h3 { font-size: 1rem; margin: .8rem 0 .4rem; }
    .grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); }
    .stats { display: flex; gap: 1.5rem; flex-wrap: wrap; }
    .stat strong { display: block; font-size: 1.6rem; }
    .notice { padding: .6rem .9rem; border-radius: 6px; border: 1px solid var(--ok); color: var(--ok); background: var(--card); }
    .notice-error { border-color: var(--bad); color: var(--bad); }
    .table-wrap { overflow-x: auto; }
    table caption { text-align: left; font-weight: 600; padding: .3rem 0; }
    .badge-ok { color: var(--ok); border-color: var(--ok); }
    .badge-warn { color: var(--warn); border-color: var(--warn); }
    .badge-bad { color: var(--bad); border-color: var(--bad); }
    .badge-muted { color: var(--muted); }
    /* Badges and column headers stay whole on narrow screens; the table scrolls inside its wrapper instead. */
    .badge, th { white-space: nowrap; overflow-wrap: normal; }
    form.inline { display: inline; margin: 0; }
    form.inline button { margin: 0 .3rem .3rem 0; padding: .3rem .7rem; }
    button.secondary { background: transparent; color: var(--accent); border: 1px solid var(--accent); }
    button.danger { background: var(--bad); }
    .actions { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin: .5rem 0; }
    .field { margin-bottom: .4rem; }
    .field small { display: block; }
    .field-error { color: var(--bad); margin: .2rem 0 0; font-size: .9em; }
    [aria-invalid="true"] { border-color: var(--bad); }
    .check { display: flex; gap: .5rem; align-items: center; margin: .4rem 0; }
    .check input { width: auto; }
    .check label { margin: 0; font-weight: 400; }
    textarea { width: 100%; padding: .5rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); font: .85em/1.4 ui-monospace, Menlo, monospace; }
    .filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: flex-end; }
    .filters .field { min-width: 9rem; flex: 1; }
    .filters button { margin-top: 0; }
    .ranges a { margin-right: .6rem; }
    .ranges a[aria-current="true"] { font-weight: 700; }
    .charts { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); }
    figure.chart { margin: 0; }
    figure.chart svg { width: 100%; height: auto; display: block; }
    figure.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
    svg .chart-line { fill: none; stroke: var(--chart); stroke-width: 2; }
    svg .chart-grid { stroke: var(--line); stroke-width: 1; }
    svg text { fill: var(--muted); font-size: 11px; }
    progress { width: 100%; height: .9rem; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
    dl.facts dt { color: var(--muted); }
    dl.facts dd { margin: 0; }
    ul.vdevs { list-style: none; padding-left: 1.1rem; margin: .2rem 0; border-left: 1px solid var(--line); }
    .secret { word-break: break-all; }
    /* Fingerprints, keys and paths are long unbroken words: let them wrap rather than widen the page. */
    main { overflow-wrap: anywhere; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    pre.logs { max-height: 28rem; overflow: auto; background: #111; color: #ddd; padding: .6rem; font-size: .8rem; white-space: pre-wrap; }
    pre.logs .log-stderr { color: #f99; }
    pre.logs time { color: #888; }
    svg.sparkline { width: 100%; max-width: 24rem; height: 2.5rem; color: var(--chart); display: block; }
    fieldset { border: 0; padding: 0; margin: 0; }
    legend { font-weight: 600; margin-top: .6rem; }
    @media (max-width: 600px) {
      header.top { gap: .5rem; }
      .who { margin-left: 0; width: 100%; }
      main { padding: .6rem; }
      .card { padding: .8rem; }
      th, td { padding: .3rem; }
    }
    """
}

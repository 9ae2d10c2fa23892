//! Every kind of mistake in a network or scenario file gets a clear message that names
//! the line and column of the offending text and, where it can, how to fix it.

use crate::support::{NET, SCENARIO, network_problems, scenario_problems};

/// Asserts that `report` has a problem whose message contains `message`, located at
/// a line of `text` that contains `snippet`, and returns that problem's full text.
#[track_caller]
fn assert_problem(report: &str, text: &str, message: &str, snippet: &str) -> String {
    let lines: Vec<&str> = report.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if !line.contains(message) {
            continue;
        }
        let mut parts = line.splitn(4, ':');
        let (_file, l, c) = (parts.next(), parts.next(), parts.next());
        let l: usize = l
            .and_then(|l| l.parse().ok())
            .unwrap_or_else(|| panic!("no line in `{line}`"));
        let c: usize = c
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no column in `{line}`"));
        let src = text
            .lines()
            .nth(l - 1)
            .unwrap_or_else(|| panic!("line {l} beyond the file"));
        assert!(
            src.contains(snippet),
            "problem `{line}` points at line {l} `{src}`, which lacks `{snippet}`"
        );
        assert!(
            c >= 1 && c <= src.chars().count() + 1,
            "column {c} outside `{src}`"
        );
        let help = lines
            .get(i + 1)
            .filter(|h| h.trim_start().starts_with("help:"));
        return format!(
            "{line}{}",
            help.map(|h| format!("\n{h}")).unwrap_or_default()
        );
    }
    panic!("no problem containing `{message}` in:\n{report}");
}

#[test]
fn the_test_files_are_valid() {
    assert_eq!(network_problems(NET), "ok");
    assert_eq!(scenario_problems(NET, SCENARIO), "ok");
}

#[test]
fn toml_syntax_errors_name_line_and_column() {
    let text = NET.replace("length_km = 300", "length_km = = 300");
    let report = network_problems(&text);
    assert_problem(&report, &text, "extra `=`", "length_km = = 300");
}

#[test]
fn type_errors_name_line_and_column() {
    let text = NET.replace("vessels = 2", "vessels = \"two\"");
    let report = network_problems(&text);
    assert_problem(
        &report,
        &text,
        "invalid type: string \"two\", expected a number or a range like { min = 4, mode = 6, max = 8 }",
        "vessels = \"two\"",
    );
}

#[test]
fn misspelt_keys_are_rejected_with_the_nearest_key() {
    let text = NET.replace(
        "capacity_trains_per_day = 10",
        "capacity_train_per_day = 10",
    );
    let report = network_problems(&text);
    let p = assert_problem(
        &report,
        &text,
        "unknown field `capacity_train_per_day`",
        "capacity_train_per_day",
    );
    assert!(p.contains("did you mean `capacity_trains_per_day`?"), "{p}");
}

#[test]
fn misspelt_values_get_the_nearest_variant() {
    let text = NET.replace("kind = \"junction\"", "kind = \"junktion\"");
    let report = network_problems(&text);
    let p = assert_problem(&report, &text, "unknown variant `junktion`", "junktion");
    assert!(p.contains("did you mean `junction`?"), "{p}");
}

#[test]
fn unknown_node_in_a_leg_suggests_the_nearest() {
    let text = NET.replace("from = \"d\"\nto = \"e\"", "from = \"dd\"\nto = \"e\"");
    let report = network_problems(&text);
    let p = assert_problem(&report, &text, "unknown node `dd`", "from = \"dd\"");
    assert!(p.contains("did you mean `d`?"), "{p}");
}

#[test]
fn unknown_node_in_a_flow_suggests_the_nearest() {
    let sc = SCENARIO.replace("to = \"e\"", "to = \"ee\"");
    let report = scenario_problems(NET, &sc);
    let p = assert_problem(&report, &sc, "unknown node `ee`", "to = \"ee\"");
    assert!(p.contains("did you mean `e`?"), "{p}");
}

#[test]
fn unknown_targets_and_parameters_in_overrides_suggest_the_nearest() {
    let sc = format!(
        "{SCENARIO}\n[[override]]\ntarget = \"fery\"\nparam = \"ferry.vessels\"\nvalue = 3\n\n[[override]]\ntarget = \"ferry\"\nparam = \"ferry.vesels\"\nvalue = 3\n"
    );
    let report = scenario_problems(NET, &sc);
    let p = assert_problem(
        &report,
        &sc,
        "unknown node or leg `fery`",
        "target = \"fery\"",
    );
    assert!(p.contains("did you mean `ferry`?"), "{p}");
    let p = assert_problem(
        &report,
        &sc,
        "unknown parameter `ferry.vesels`",
        "param = \"ferry.vesels\"",
    );
    assert!(p.contains("did you mean `ferry.vessels`?"), "{p}");
}

#[test]
fn parameters_that_do_not_apply_say_why() {
    let sc = format!(
        "{SCENARIO}\n[[override]]\ntarget = \"ferry\"\nparam = \"capacity_trains_per_day\"\nvalue = 3\n"
    );
    let report = scenario_problems(NET, &sc);
    assert_problem(
        &report,
        &sc,
        "does not apply to leg `ferry`: it is not a rail leg",
        "param = \"capacity_trains_per_day\"",
    );
}

#[test]
fn duplicate_ids_are_reported() {
    let text = NET.replace("id = \"e\"", "id = \"d\"");
    let report = network_problems(&text);
    assert_problem(&report, &text, "duplicate id `d`", "id = \"d\"");
}

#[test]
fn zero_negative_infinite_and_nan_numbers_are_rejected() {
    let cases = [
        (
            "capacity_trains_per_day = 10",
            "capacity_trains_per_day = 0",
            "`capacity_trains_per_day` must be greater than zero, got 0",
        ),
        (
            "length_km = 100\ntravel_days = 0.5",
            "length_km = -100\ntravel_days = 0.5",
            "`length_km` must be greater than zero, got -100",
        ),
        (
            "length_km = 300",
            "length_km = inf",
            "`length_km` must be a finite number, got inf",
        ),
        (
            "capacity_trains_per_day = 10",
            "capacity_trains_per_day = nan",
            "`capacity_trains_per_day` must be a finite number, got NaN",
        ),
        (
            "mean = 0.2 }",
            "mean = -0.2 }",
            "`service_days`: `mean` must be greater than zero, got -0.2",
        ),
        (
            "mean = 1.0, cv = 0.2",
            "mean = 1.0, cv = nan",
            "`travel_days`: `cv` must be a finite number, got NaN",
        ),
        (
            "travel_days = 0.2",
            "travel_days = -0.2",
            "`travel_days`: `value` must not be negative, got -0.2",
        ),
        (
            "servers = 2",
            "servers = 0",
            "`servers` must be a whole number of at least 1, got 0",
        ),
        (
            "vessels = 2",
            "vessels = -1",
            "`vessels` must be a whole number of at least 1, got -1",
        ),
    ];
    for (from, to, message) in cases {
        let text = NET.replacen(from, to, 1);
        assert_ne!(text, NET, "`{from}` not found in the test network");
        let report = network_problems(&text);
        let snippet = to.lines().next().unwrap();
        let snippet = snippet.split('=').next().unwrap().trim();
        assert_problem(&report, &text, message, snippet);
    }
}

#[test]
fn a_ferry_below_one_wagon_is_rejected() {
    for bad in ["0", "0.5"] {
        let text = NET.replace(
            "wagons_per_sailing = 54",
            &format!("wagons_per_sailing = {bad}"),
        );
        let report = network_problems(&text);
        let p = assert_problem(
            &report,
            &text,
            "wagons per sailing, got 0",
            "wagons_per_sailing",
        );
        assert!(p.contains("help:"), "{p}");
    }
}

#[test]
fn a_gauge_change_outside_a_gauge_change_point_is_rejected() {
    let text = NET.replace("kind = \"gauge_change\"\nresource = { servers = 1, service_days = 0.1, gauge_change = \"bogie_exchange\" }", "kind = \"junction\"");
    assert_ne!(text, NET);
    let report = network_problems(&text);
    let p = assert_problem(
        &report,
        &text,
        "rail gauge changes at `b` (1435 mm: `b-c`; 1520 mm: `a-b`) but it is not a gauge-change point",
        "id = \"b\"",
    );
    assert!(p.contains("kind = \"gauge_change\""), "{p}");
}

#[test]
fn a_gauge_change_point_needs_a_resource() {
    let text = NET.replace(
        "resource = { servers = 1, service_days = 0.1, gauge_change = \"bogie_exchange\" }",
        "",
    );
    let report = network_problems(&text);
    assert_problem(
        &report,
        &text,
        "gauge-change point `b` has no resource",
        "id = \"b\"",
    );
}

#[test]
fn an_unreachable_destination_is_rejected() {
    // The leg d -> e is one way, so e cannot reach a.
    let sc = SCENARIO.replace("from = \"a\"\nto = \"e\"", "from = \"e\"\nto = \"a\"");
    let report = scenario_problems(NET, &sc);
    let p = assert_problem(&report, &sc, "no route leads from `e` to `a`", "to = \"a\"");
    assert!(p.contains("one-way"), "{p}");
}

#[test]
fn warmup_must_be_shorter_than_the_horizon() {
    let sc = SCENARIO.replace("warmup_days = 20", "warmup_days = 200");
    let report = scenario_problems(NET, &sc);
    assert_problem(
        &report,
        &sc,
        "the warm-up (200 days) must be shorter than the horizon (200 days)",
        "warmup_days = 200",
    );
}

#[test]
fn absurd_horizons_are_rejected() {
    let sc = SCENARIO.replace("horizon_days = 200", "horizon_days = 1e300");
    let report = scenario_problems(NET, &sc);
    assert_problem(
        &report,
        &sc,
        "is beyond the longest horizon",
        "horizon_days = 1e300",
    );
}

#[test]
fn split_shares_must_add_up_to_one() {
    let sc = SCENARIO.replace(
        "train = {",
        "route = \"split\"\nsplit = [{ via = [\"b\"], share = 0.5 }, { via = [\"c\"], share = 0.4 }]\ntrain = {",
    );
    let report = scenario_problems(NET, &sc);
    assert_problem(
        &report,
        &sc,
        "split shares add up to 0.9, not 1",
        "split = [",
    );
}

#[test]
fn all_problems_of_a_file_are_reported_together() {
    let sc = SCENARIO
        .replace("warmup_days = 20", "warmup_days = 500")
        .replace("seed = 7", "seed = -7")
        .replace("to = \"e\"", "to = \"x\"");
    let report = scenario_problems(NET, &sc);
    assert_problem(&report, &sc, "warm-up", "warmup_days");
    assert_problem(&report, &sc, "`seed` must not be negative", "seed = -7");
    assert_problem(&report, &sc, "unknown node `x`", "to = \"x\"");
    // Reported in file order.
    let w = report.find("warm-up").unwrap();
    let x = report.find("unknown node").unwrap();
    assert!(w < x, "{report}");
}

#[test]
fn disruptions_need_exactly_one_timing() {
    let sc = format!("{SCENARIO}\n[[disruption]]\ntarget = \"b\"\nduration_days = 3\n");
    let report = scenario_problems(NET, &sc);
    assert_problem(
        &report,
        &sc,
        "exactly one of `start_day` (scheduled), `per_year` (random) and `per_year_by_month`",
        "target = \"b\"",
    );
}

/// No edit of a valid file makes the parser panic: remove each line in turn, and
/// cut the file at every line.
#[test]
fn mutilated_files_never_panic() {
    let lines: Vec<&str> = NET.lines().collect();
    for i in 0..lines.len() {
        let without: String = lines
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let _ = network_problems(&without);
        let cut: String = lines[..i].iter().map(|l| format!("{l}\n")).collect();
        let _ = network_problems(&cut);
    }
    let sc_lines: Vec<&str> = SCENARIO.lines().collect();
    for i in 0..sc_lines.len() {
        let without: String = sc_lines
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let _ = scenario_problems(NET, &without);
    }
}

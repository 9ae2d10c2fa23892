//! The layers of a scenario: a file that extends another (`extends = "base.toml"`),
//! overrides of several targets at once, and changes given on the command line
//! (`--set TARGET.PARAM=VALUE`).
//!
//! Every file of a chain is parsed into a spanned TOML table, and each file's spans are
//! moved to a range of its own in one *virtual* text (the named file first, at 0, then
//! its base, then the base's base, ...), so that the merged table deserializes into one
//! [`ScenarioFile`] whose every value still knows where it was written. A problem
//! found later is sent back to the file its span falls in ([`Chain::locate`]), with
//! the span made relative to that file again. `--set` flags are one more source of
//! the chain, a text of their own (`--set a.b=c`, one flag a line), so that a bad flag
//! is shown with the flag's text under it.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_spanned::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::dto::{DurationSpec, FlowSpec, NumSpec, OverrideSpec, ScenarioFile};
use super::network::Checker;
use super::{MAX_FILE_BYTES, read_text, suggest_file, toml_problem};
use crate::error::{FileProblems, LoadError, Problem};
use crate::network::{Change, Param, ValueKind};

/// Most files in a chain of `extends`, the named file included.
pub const MAX_EXTENDS_DEPTH: usize = 16;

/// Largest amount an override may `add` (in the parameter's unit).
pub(super) const MAX_ADD: f64 = 1e9;

/// The name shown for the text of `--set` flags in error reports.
pub const SET_SOURCE: &str = "--set";

/// One text of a chain: a file, or the `--set` flags.
#[derive(Debug)]
pub(super) struct Source {
    /// The file (or [`SET_SOURCE`]).
    pub(super) path: PathBuf,
    /// Its text.
    pub(super) text: String,
    /// Where its text starts in the virtual text.
    offset: usize,
    /// The span of the `extends` value in this source that named the next one.
    extends_span: Option<Range<usize>>,
}

/// A scenario file and the files it extends, nearest first.
#[derive(Debug)]
pub(super) struct Chain {
    sources: Vec<Source>,
    /// How many of `sources` are files (the rest are `--set` flags).
    files: usize,
}

impl Chain {
    /// A chain of one text that may not extend another (for texts given in memory).
    pub(super) fn single(path: &Path, text: String) -> Chain {
        Chain {
            sources: vec![Source {
                path: path.to_path_buf(),
                text,
                offset: 0,
                extends_span: None,
            }],
            files: 1,
        }
    }

    /// Reads a scenario file and every file it extends. A base that cannot be read,
    /// a cycle, or a chain deeper than [`MAX_EXTENDS_DEPTH`] is a problem located at
    /// the `extends` that names it.
    pub(super) fn read(path: &Path, text: String) -> Result<Chain, LoadError> {
        let mut chain = Chain::single(path, text);
        let mut seen = vec![canonical(path)];
        loop {
            let last = chain.sources.len() - 1;
            let src = &chain.sources[last];
            let Some(extends) = extends_of(&src.text).map_err(|p| chain.invalid_in(last, p))?
            else {
                break;
            };
            let span = extends.span();
            let dir = src.path.parent().unwrap_or(Path::new(""));
            let base = dir.join(extends.get_ref());
            let fail = |chain: &Chain, message: String, help: Option<String>| {
                let mut p = Problem::at(span.clone(), message);
                if let Some(h) = help {
                    p = p.help(h);
                }
                chain.invalid_in(last, vec![p])
            };
            if chain.sources.len() >= MAX_EXTENDS_DEPTH {
                return Err(fail(
                    &chain,
                    format!("a chain of `extends` may hold at most {MAX_EXTENDS_DEPTH} files"),
                    Some("extend a scenario nearer the base, or merge some of the files".into()),
                ));
            }
            let key = canonical(&base);
            if let Some(i) = seen.iter().position(|s| *s == key) {
                let names: Vec<String> = chain.sources[i..]
                    .iter()
                    .map(|s| s.path.display().to_string())
                    .chain([base.display().to_string()])
                    .collect();
                return Err(fail(
                    &chain,
                    format!("`extends` makes a cycle: {}", names.join(" -> ")),
                    Some("a scenario may not extend itself, directly or through others".into()),
                ));
            }
            let text = match read_text(&base) {
                Ok(Ok(t)) => t,
                Ok(Err(bad)) => {
                    let (text, problems) = *bad;
                    return Err(super::invalid(&base, text, problems));
                }
                Err(e) => {
                    return Err(fail(
                        &chain,
                        format!(
                            "cannot read the base scenario `{}` ({}): {e}",
                            extends.get_ref(),
                            base.display()
                        ),
                        suggest_file(&base),
                    ));
                }
            };
            let total: usize = chain.sources.iter().map(|s| s.text.len()).sum();
            if (total + text.len()) as u64 > MAX_FILE_BYTES {
                return Err(fail(
                    &chain,
                    format!(
                        "the files of this chain of `extends` hold more than {MAX_FILE_BYTES} bytes together"
                    ),
                    None,
                ));
            }
            chain.sources[last].extends_span = Some(span);
            let offset = chain.next_offset();
            chain.sources.push(Source {
                path: base,
                text,
                offset,
                extends_span: None,
            });
            chain.files += 1;
            seen.push(key);
        }
        Ok(chain)
    }

    /// The files a scenario extends, nearest first (not the named file itself).
    pub(super) fn bases(&self) -> Vec<PathBuf> {
        self.sources[1..self.files]
            .iter()
            .map(|s| s.path.clone())
            .collect()
    }

    /// The folder against which a path written at `span` is resolved: the folder of
    /// the file that holds it.
    pub(super) fn dir_of(&self, span: &Range<usize>) -> &Path {
        let i = self.source_of(span.start).min(self.files - 1);
        self.sources[i].path.parent().unwrap_or(Path::new(""))
    }

    /// Problems with spans in the virtual text, sent back to their files.
    pub(super) fn locate(&self, problems: Vec<Problem>) -> LoadError {
        let mut per_source: Vec<Vec<Problem>> = self.sources.iter().map(|_| Vec::new()).collect();
        for mut p in problems {
            let i = p.span.as_ref().map_or(0, |s| self.source_of(s.start));
            let offset = self.sources[i].offset;
            p.span = p
                .span
                .map(|s| s.start.saturating_sub(offset)..s.end.saturating_sub(offset));
            per_source[i].push(p);
        }
        LoadError::Invalid(
            self.sources
                .iter()
                .zip(per_source)
                .filter(|(_, p)| !p.is_empty())
                .map(|(s, problems)| FileProblems {
                    path: s.path.clone(),
                    text: s.text.clone(),
                    problems,
                })
                .collect(),
        )
    }

    /// The merged scenario file: each file's table laid over its base's, then the
    /// overrides of several targets made one per target, then the `--set` changes
    /// (see [`Chain::add_sets`]) appended to the overrides.
    pub(super) fn merged(&self) -> Result<ScenarioFile, Vec<Problem>> {
        let mut merged: Option<DeTable<'_>> = None;
        let mut named = false;
        for src in self.sources[..self.files].iter().rev() {
            let mut table = parse_table(&src.text).map_err(|problems| {
                problems
                    .into_iter()
                    .map(|mut p| {
                        p.span = p.span.map(|s| shift(s, src.offset));
                        p
                    })
                    .collect::<Vec<_>>()
            })?;
            if src.offset > 0 {
                table = shift_table(table, src.offset);
            }
            named = table.contains_key("name");
            merged = Some(match merged {
                None => table,
                Some(base) => overlay(base, table)?,
            });
        }
        let mut table = merged.unwrap_or_default();
        if let Some(extends) = self.sources[0].extends_span.clone()
            && !named
            && let Some(stem) = self.sources[0].path.file_stem().and_then(|s| s.to_str())
        {
            // A file that extends another and gives no name of its own is named after
            // itself, so that its results do not replace those of its base.
            table.insert(
                Spanned::new(extends.clone(), Cow::Borrowed("name")),
                Spanned::new(extends, DeValue::String(Cow::Owned(stem.to_string()))),
            );
        }
        expand_targets(&mut table)?;
        let span = 0..self.sources[0].text.len();
        let mut file =
            ScenarioFile::deserialize(toml::de::Deserializer::from(Spanned::new(span, table)))
                .map_err(|e| vec![toml_problem(&e, None)])?;
        for src in &self.sources[self.files..] {
            file.overrides.extend(parse_sets(src)?);
        }
        Ok(file)
    }

    /// Adds the `--set TARGET.PARAM=VALUE` flags as the last source of the chain.
    pub(super) fn add_sets(&mut self, sets: &[String]) {
        if sets.is_empty() {
            return;
        }
        let text: String = sets
            .iter()
            .map(|s| format!("{SET_SOURCE} {}\n", s.replace('\n', " ")))
            .collect();
        let offset = self.next_offset();
        self.sources.push(Source {
            path: PathBuf::from(SET_SOURCE),
            text,
            offset,
            extends_span: None,
        });
    }

    fn next_offset(&self) -> usize {
        // One byte of gap, so that an empty span at the end of a text stays in it.
        self.sources
            .last()
            .map_or(0, |s| s.offset + s.text.len() + 1)
    }

    fn source_of(&self, pos: usize) -> usize {
        self.sources
            .iter()
            .rposition(|s| s.offset <= pos)
            .unwrap_or(0)
    }

    fn invalid_in(&self, i: usize, problems: Vec<Problem>) -> LoadError {
        let src = &self.sources[i];
        super::invalid(&src.path, src.text.clone(), problems)
    }
}

/// The `extends` value of a scenario text, if it has one (spans relative to the text).
fn extends_of(text: &str) -> Result<Option<Spanned<String>>, Vec<Problem>> {
    let table = parse_table(text)?;
    let Some((_, value)) = table.get_key_value("extends") else {
        return Ok(None);
    };
    let span = value.span();
    match value.get_ref() {
        DeValue::String(s) if !s.trim().is_empty() => Ok(Some(Spanned::new(span, s.to_string()))),
        DeValue::String(_) => Err(vec![
            Problem::at(span, "`extends` must name a scenario file")
                .help("e.g. extends = \"middle-corridor-2024.toml\""),
        ]),
        other => Err(vec![
            Problem::at(
                span,
                format!("`extends` must be text, not {}", other.type_str()),
            )
            .help("e.g. extends = \"middle-corridor-2024.toml\""),
        ]),
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn parse_table(text: &str) -> Result<DeTable<'_>, Vec<Problem>> {
    DeTable::parse(text)
        .map(Spanned::into_inner)
        .map_err(|e| vec![toml_problem(&e, Some(text))])
}

fn shift(span: Range<usize>, offset: usize) -> Range<usize> {
    span.start + offset..span.end + offset
}

fn shift_value<'i>(v: Spanned<DeValue<'i>>, offset: usize) -> Spanned<DeValue<'i>> {
    let span = shift(v.span(), offset);
    let value = match v.into_inner() {
        DeValue::Array(items) => {
            let mut array = DeArray::new();
            for item in items {
                array.push(shift_value(item, offset));
            }
            DeValue::Array(array)
        }
        DeValue::Table(t) => DeValue::Table(shift_table(t, offset)),
        other => other,
    };
    Spanned::new(span, value)
}

fn shift_table(table: DeTable<'_>, offset: usize) -> DeTable<'_> {
    let mut out = DeTable::new();
    for (k, v) in table {
        let key_span = shift(k.span(), offset);
        out.insert(
            Spanned::new(key_span, k.into_inner()),
            shift_value(v, offset),
        );
    }
    out
}

/// Lays `child` over `base`: flows are replaced by id or added, overrides and
/// disruptions added after the base's, every other key replaced.
fn overlay<'i>(mut base: DeTable<'i>, child: DeTable<'i>) -> Result<DeTable<'i>, Vec<Problem>> {
    for (key, value) in child {
        match key.get_ref().as_ref() {
            "flow" => {
                let Some(existing) = base.get_mut("flow") else {
                    base.insert(key, value);
                    continue;
                };
                let (DeValue::Array(old), DeValue::Array(new)) =
                    (existing.get_mut(), value.into_inner())
                else {
                    // Not arrays of tables: deserialization will say so.
                    continue;
                };
                for flow in new {
                    let id = flow_id(&flow);
                    match old.iter_mut().find(|f| id.is_some() && flow_id(f) == id) {
                        Some(slot) => *slot = flow,
                        None => old.push(flow),
                    }
                }
            }
            "override" | "disruption" => match base.get_mut(key.get_ref().as_ref()) {
                Some(existing) => {
                    if let (DeValue::Array(old), DeValue::Array(new)) =
                        (existing.get_mut(), value.into_inner())
                    {
                        for item in new {
                            old.push(item);
                        }
                    }
                }
                None => {
                    base.insert(key, value);
                }
            },
            _ => {
                base.remove(key.get_ref().as_ref());
                base.insert(key, value);
            }
        }
    }
    Ok(base)
}

/// A flow table's id as results name it: `id`, or `FROM->TO`.
fn flow_id(flow: &Spanned<DeValue<'_>>) -> Option<String> {
    let table = flow.get_ref().as_table()?;
    let text = |k: &str| table.get(k).and_then(|v| v.get_ref().as_str());
    match text("id") {
        Some(id) => Some(id.to_string()),
        None => Some(format!("{}->{}", text("from")?, text("to")?)),
    }
}

/// Makes an override of several targets (`target = [..]` or `targets = [..]`) one
/// override per target, each located at its target's id.
fn expand_targets(table: &mut DeTable<'_>) -> Result<(), Vec<Problem>> {
    let Some(overrides) = table.get_mut("override") else {
        return Ok(());
    };
    let DeValue::Array(items) = overrides.get_mut() else {
        return Ok(());
    };
    let mut problems = Vec::new();
    let mut out = DeArray::new();
    for item in std::mem::replace(items, DeArray::new()) {
        let span = item.span();
        let DeValue::Table(t) = item.get_ref() else {
            out.push(item);
            continue;
        };
        let many = |k: &str| {
            t.get_key_value(k)
                .filter(|(_, v)| v.get_ref().is_array())
                .map(|(key, v)| (key.clone(), v.clone()))
        };
        if let Some((k, _)) = t.get_key_value("targets")
            && t.contains_key("target")
        {
            problems.push(
                Problem::at(
                    k.span(),
                    "an override takes `target` or `targets`, not both",
                )
                .help("target = \"id\" for one, targets = [\"a\", \"b\"] for several"),
            );
            continue;
        }
        let (key, list) = match (many("target"), t.get_key_value("targets")) {
            (Some(found), _) => found,
            (None, Some((k, v))) => (k.clone(), v.clone()),
            (None, None) => {
                out.push(item);
                continue;
            }
        };
        let DeValue::Array(ids) = list.get_ref() else {
            problems.push(
                Problem::at(list.span(), "`targets` must be a list of node or leg ids")
                    .help("e.g. targets = [\"btk-tbilisi\", \"btk-kars\"]"),
            );
            continue;
        };
        if ids.is_empty() {
            problems.push(
                Problem::at(list.span(), "the list of targets is empty")
                    .help("name at least one node or leg"),
            );
            continue;
        }
        for id in ids.iter() {
            let mut one = t.clone();
            one.remove("targets");
            one.remove("target");
            one.insert(
                Spanned::new(key.span(), Cow::Borrowed("target")),
                id.clone(),
            );
            out.push(Spanned::new(span.clone(), DeValue::Table(one)));
        }
    }
    *items = out;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The overrides of the `--set` flags of a source, each `--set TARGET.PARAM=VALUE` a
/// line: `VALUE` is a number (the new value), `+N` or `-N` (added), or `xF` / `*F`
/// (a factor).
fn parse_sets(src: &Source) -> Result<Vec<OverrideSpec>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut line_start = src.offset;
    for line in src.text.lines() {
        let start = line_start;
        let at = move |from: usize, len: usize| start + from..start + from + len;
        let body_start = SET_SOURCE.len() + 1;
        let body = line.get(body_start..).unwrap_or("");
        let here = at(body_start, body.len());
        line_start += line.len() + 1;
        let help = "write TARGET.PARAM=VALUE, e.g. --set aktau-alat.ferry.vessels=+2 (VALUE: a number, +N / -N to add, xF to multiply)";
        let Some((lhs, rhs)) = body.split_once('=') else {
            problems
                .push(Problem::at(here, format!("`{SET_SOURCE} {body}` has no `=`")).help(help));
            continue;
        };
        let Some((target, param)) = lhs.split_once('.') else {
            problems.push(
                Problem::at(
                    here,
                    format!("`{SET_SOURCE} {body}`: `{lhs}` is not TARGET.PARAM"),
                )
                .help(help),
            );
            continue;
        };
        let target_span = at(body_start, target.len());
        let param_span = at(body_start + target.len() + 1, param.len());
        let value_span = at(body_start + lhs.len() + 1, rhs.len());
        let value = rhs.trim();
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let (mut spec_value, mut factor, mut add) = (None, None, None);
        if let Some(f) = value
            .strip_prefix('x')
            .or_else(|| value.strip_prefix('*'))
            .or_else(|| value.strip_prefix('×'))
        {
            factor = number(f);
        } else if value.starts_with('+') || value.starts_with('-') {
            add = number(value);
        } else {
            spec_value = number(value);
        }
        if spec_value.is_none() && factor.is_none() && add.is_none() {
            problems.push(
                Problem::at(
                    value_span,
                    format!("`{value}` is not a number, +N, -N or xF"),
                )
                .help(help),
            );
            continue;
        }
        out.push(OverrideSpec {
            target: Spanned::new(target_span, target.to_string()),
            targets: None,
            param: Spanned::new(param_span, param.to_string()),
            value: spec_value.map(|v| Spanned::new(value_span.clone(), DurationSpec::Fixed(v))),
            factor: factor.map(|f| Spanned::new(value_span.clone(), NumSpec::Value(f))),
            add: add.map(|a| Spanned::new(value_span.clone(), NumSpec::Value(a))),
            note: format!("{SET_SOURCE} {body}"),
            id: None,
            from: None,
            until: None,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The change of an override's `add`: numbers and counts only.
pub(super) fn change_add(ck: &mut Checker, param: Param, a: &Spanned<f64>) -> Option<Change> {
    let v = *a.get_ref();
    if param.kind() == ValueKind::Duration {
        ck.error_help(
            a.span(),
            format!(
                "`{}` is a duration and cannot be changed by `add`",
                param.name()
            ),
            "use factor = F to scale every draw, or value = NEW",
        );
        None
    } else if !v.is_finite() || v.abs() > MAX_ADD {
        ck.error_help(
            a.span(),
            format!("`add` must be a finite number from -{MAX_ADD:e} to {MAX_ADD:e}, got {v}"),
            "e.g. add = 2 (two more) or add = -1 (one fewer)",
        );
        None
    } else {
        Some(Change::Add(v))
    }
}

/// A `[sweep]` of one group's demand, `demand:GROUP`, against the scenario's flows
/// (`None` for any other parameter).
pub(super) fn group_sweep_param(
    text: &str,
    flows: &[crate::scenario::Flow],
) -> Option<Result<crate::scenario::SweepParam, String>> {
    let group = text.strip_prefix("demand:")?;
    let mut groups: Vec<&str> = Vec::new();
    for f in flows {
        if !groups.contains(&f.group.as_str()) {
            groups.push(&f.group);
        }
    }
    Some(match groups.iter().position(|g| *g == group) {
        Some(i) => Ok(crate::scenario::SweepParam::DemandGroup(i as u32)),
        None => Err(format!(
            "unknown flow group `{group}`{}",
            super::did_you_mean(group, groups.iter().copied())
                .map(|h| format!("; {h}"))
                .unwrap_or_default()
        )),
    })
}

/// A flow's group: `group`, checked as an id, or the flow's id.
pub(super) fn flow_group(ck: &mut Checker, spec: &FlowSpec, id: &str) -> String {
    match &spec.group {
        Some(g) => {
            ck.id("group", g);
            g.get_ref().clone()
        }
        None => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> DeTable<'_> {
        parse_table(text).expect("valid TOML")
    }

    fn ids(t: &DeTable<'_>) -> Vec<String> {
        let Some(DeValue::Array(flows)) = t.get("flow").map(|v| v.get_ref()) else {
            return Vec::new();
        };
        flows.iter().filter_map(flow_id).collect()
    }

    #[test]
    fn flows_are_replaced_by_id_and_added_in_order() {
        let base = table(
            "seed = 1\n[[flow]]\nid = \"x\"\n[[flow]]\nfrom = \"a\"\nto = \"b\"\n[[override]]\ntarget = \"p\"\n",
        );
        let child = table(
            "seed = 2\n[[flow]]\nfrom = \"a\"\nto = \"b\"\nnew = true\n[[flow]]\nid = \"y\"\n[[override]]\ntarget = \"q\"\n",
        );
        let merged = overlay(base, child).unwrap();
        assert_eq!(ids(&merged), ["x", "a->b", "y"]);
        let Some(DeValue::Array(flows)) = merged.get("flow").map(|v| v.get_ref()) else {
            panic!("flows")
        };
        assert!(flows[1].get_ref().as_table().unwrap().contains_key("new"));
        let Some(DeValue::Array(o)) = merged.get("override").map(|v| v.get_ref()) else {
            panic!("overrides")
        };
        assert_eq!(o.len(), 2);
        let seed = merged.get("seed").unwrap().get_ref().as_integer().unwrap();
        assert_eq!(seed.as_str(), "2");
    }

    #[test]
    fn spans_move_by_the_offset() {
        let t = shift_table(table("a = { b = [1, 2] }"), 100);
        let a = t.get("a").unwrap();
        assert_eq!(a.span(), 104..118);
        let b = a.get_ref().as_table().unwrap().get("b").unwrap();
        assert_eq!(b.span(), 110..116);
        let first = &b.get_ref().as_array().unwrap()[0];
        assert_eq!(first.span(), 111..112);
    }

    #[test]
    fn set_values_are_numbers_additions_or_factors() {
        let mut chain = Chain::single(Path::new("s.toml"), String::new());
        chain.add_sets(&[
            "x.servers=3".into(),
            "x.servers=-1".into(),
            "y.ferry.vessels=x1.5".into(),
        ]);
        let specs = parse_sets(&chain.sources[1]).unwrap();
        assert_eq!(
            specs[0].value.as_ref().map(|v| v.get_ref().clone()),
            Some(DurationSpec::Fixed(3.0))
        );
        assert_eq!(
            specs[1].add.as_ref().map(|v| v.get_ref().clone()),
            Some(NumSpec::Value(-1.0))
        );
        assert_eq!(
            specs[2].factor.as_ref().map(|v| v.get_ref().clone()),
            Some(NumSpec::Value(1.5))
        );
        assert_eq!(specs[2].param.get_ref(), "ferry.vessels");
        // Spans point into the flags' own text, past the file's.
        let text = &chain.sources[1].text;
        let off = chain.sources[1].offset;
        let s = specs[2].param.span();
        assert_eq!(&text[s.start - off..s.end - off], "ferry.vessels");
        let problems = chain.locate(vec![Problem::at(s, "x")]);
        let LoadError::Invalid(files) = problems else {
            panic!("located")
        };
        assert_eq!(files[0].path, Path::new(SET_SOURCE));
    }
}

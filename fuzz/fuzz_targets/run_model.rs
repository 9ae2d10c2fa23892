//! Any valid network and scenario (one file: the network, a line `#---`, the scenario):
//! the model builds or is refused with an error, and a capped replication (at most 60
//! days and 20,000 trains in the system) runs without panicking, conserves trains and
//! gives shares in [0, 1].
#![no_main]

use std::path::Path;

use corridor::sim::{Model, run_replication};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some((net, sc)) = text.split_once("\n#---\n") else {
        return;
    };
    let Ok(network) = corridor::input::parse_network(net) else {
        return;
    };
    let Ok((mut scenario, network)) =
        corridor::input::parse_scenario(sc, Path::new("scenarios/fuzz.toml"), network)
    else {
        return;
    };
    let run = &mut scenario.run;
    run.horizon_days = run.horizon_days.min(60.0);
    run.warmup_days = run.warmup_days.min(run.horizon_days / 2.0);
    run.max_trains_in_system = run.max_trains_in_system.min(20_000);
    let Ok(model) = Model::new(&network, &scenario) else {
        return;
    };
    let r = run_replication(&model, scenario.run.seed, 0);
    for f in &r.flows {
        assert_eq!(
            f.offered,
            f.delivered + f.refused + f.in_system,
            "trains are conserved"
        );
        assert!(f.transit_sum_days.is_finite());
    }
    for x in &r.resources {
        assert!((0.0..=1.0).contains(&x.utilization), "utilization {}", x.utilization);
        assert!((0.0..=1.0).contains(&x.closed_share), "closed share {}", x.closed_share);
        assert!(x.queue_mean.is_finite());
    }
});

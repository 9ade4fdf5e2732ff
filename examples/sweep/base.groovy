// The session examples/sweep.groovy submits its runs to: one local instance, no job of its own.
katapult {
    project 'sweep'
    autoStop false
    instance { name 'box'; cpus 4 }
}

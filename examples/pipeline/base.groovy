// The session examples/pipeline.groovy works in: one local instance, and the input data.
katapult {
    project 'pipeline'
    autoStop false
    instance { name 'box'; cpus 2 }
}

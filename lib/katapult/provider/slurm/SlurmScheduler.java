package katapult.provider.slurm;

import java.util.List;

import katapult.config.InstanceSpec;
import katapult.provider.BatchScheduler;

/** Slurm as the slurm provider's scheduler: each entry's keys become the options of its job arrays. */
final class SlurmScheduler implements BatchScheduler {

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public List<String> arrayOptions(InstanceSpec spec, BatchArray array) {
        return SlurmOptions.of(spec.slurm(), array);
    }

    @Override
    public List<String> setupOptions(InstanceSpec spec, String name, String comment) {
        return SlurmOptions.setup(spec.slurm(), name, comment);
    }

    @Override
    public String describe(InstanceSpec spec, BatchArray array) {
        return SlurmOptions.describe(spec.slurm(), array);
    }
}

package katapult.provider.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import katapult.config.InstanceSpec;
import katapult.provider.ProviderException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.CpuOptionsRequest;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/** What an instance type is (cpus, GPUs), read once per region from DescribeInstanceTypes. */
final class AwsSizes {

    private final AwsRegions regions;
    private final Map<String, InstanceTypeInfo> types = new ConcurrentHashMap<>();

    AwsSizes(AwsRegions regions) {
        this.regions = regions;
    }

    InstanceTypeInfo type(InstanceSpec spec) {
        AwsClients c = regions.clients(spec);
        return types.computeIfAbsent(c.region + "|" + spec.aws().type(), k -> {
            try {
                var found = c.ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(spec.aws().type())).instanceTypes();
                if (found.isEmpty()) {
                    throw new ProviderException("instance type '" + spec.aws().type() + "' does not exist in " + c.region);
                }
                return found.get(0);
            } catch (Ec2Exception e) {
                throw new ProviderException("instance type '" + spec.aws().type() + "' in " + c.region + ": "
                        + AwsCalls.message(e), e);
            } catch (SdkClientException e) {
                throw new ProviderException("cannot reach EC2 in " + c.region + ": " + e.getMessage(), e);
            }
        });
    }

    int machineCpus(InstanceSpec spec) {
        return type(spec).vCpuInfo().defaultVCpus();
    }

    /** The type's GPUs, e.g. {@code 1 x NVIDIA T4}; empty when it has none. */
    static List<String> gpus(InstanceTypeInfo type) {
        if (type.gpuInfo() == null) {
            return List.of();
        }
        return type.gpuInfo().gpus().stream().map(g -> g.count() + " x " + g.manufacturer() + " " + g.name()).toList();
    }

    /** {@code gpu} names the GPU the type must have (e.g. 'T4', 'A10G'): checked against DescribeInstanceTypes. */
    void checkGpu(InstanceSpec spec) {
        if (spec.aws().gpu() == null) {
            return;
        }
        InstanceTypeInfo info = type(spec);
        boolean has = info.gpuInfo() != null && info.gpuInfo().gpus().stream().anyMatch(g ->
                g.name() != null && (g.name().equalsIgnoreCase(spec.aws().gpu())
                        || (g.manufacturer() + " " + g.name()).equalsIgnoreCase(spec.aws().gpu())));
        if (!has) {
            List<String> gpus = gpus(info);
            throw new ProviderException("instance '" + spec.name() + "': type " + spec.aws().type() + " has no '"
                    + spec.aws().gpu() + "' GPU (" + (gpus.isEmpty() ? "it has none" : "it has " + String.join(", ", gpus))
                    + "): choose a type that has it, or fix `gpu`");
        }
    }

    /** CpuOptions when the entry asks for fewer cpus than the type has: the fewest valid cores that hold them. */
    static CpuOptionsRequest cpuOptions(InstanceSpec spec, int cpus, InstanceTypeInfo type) {
        if (spec.cpus() == null || type.vCpuInfo() == null || cpus >= type.vCpuInfo().defaultVCpus()) {
            return null;
        }
        int threads = type.vCpuInfo().defaultThreadsPerCore() == null ? 1 : type.vCpuInfo().defaultThreadsPerCore();
        int cores = (cpus + threads - 1) / threads;
        List<Integer> valid = type.vCpuInfo().validCores();
        if (valid != null && !valid.isEmpty()) {
            int wanted = cores;
            Optional<Integer> fit = valid.stream().filter(v -> v >= wanted).min(Integer::compare);
            if (fit.isEmpty()) {
                return null;
            }
            cores = fit.get();
        }
        return CpuOptionsRequest.builder().coreCount(cores).threadsPerCore(threads).build();
    }
}

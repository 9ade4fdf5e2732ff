package katapult.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import katapult.config.Config;
import katapult.dsl.ConfigLoader;
import katapult.plan.InstancePlan;
import katapult.plan.Plan;
import katapult.plan.Planner;
import katapult.provider.BatchScheduler;
import katapult.provider.Preflight;
import katapult.provider.Pricing;
import katapult.provider.Provider;
import katapult.session.BatchArrays;
import katapult.session.Session;
import katapult.terminal.Json;
import katapult.terminal.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"List the instances a config would create, with their hourly price and the total per hour.",
                "Creates nothing. With aws it needs credentials: spot prices come from EC2's spot price history;",
                "on-demand prices from the AWS Price List API (cached a week), else from the table shipped with",
                "Katapult; the NOTE column says which, and its date (see README, \"Costs\")."})
final class PlanCommand extends KatapultSubcommand {

    @Parameters(paramLabel = "CONFIG",
            description = "The config file: Groovy, or a .py file in Python's dict syntax.")
    Path config;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Config loaded = ConfigLoader.load(config);
        Path stateDir = Session.stateDir(workspace, loaded.project());
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> submissions = new ArrayList<>();
        try (Provider provider = sessions.providers().create(loaded, stateDir)) {
            provider.preflight().ifPresent(Preflight::check);
            Plan planned = Planner.plan(loaded, provider::machineCpus, provider::defaultCpus);
            List<InstancePlan> plans = planned.instances();
            provider.batch().ifPresent(batch -> submissions.addAll(sbatchLines(loaded, planned, batch)));
            Optional<Pricing> pricing = provider.pricing();
            if (pricing.isPresent()) {
                for (Pricing.Quote quote : pricing.get().quote(plans)) {
                    rows.add(row(quote.instance(), quote.region(), quote.type(), quote.cpus(),
                            quote.spot() ? "spot" : "on-demand", quote.hourly(), quote.note()));
                }
            } else {
                for (InstancePlan plan : plans) {
                    // a login node's cpus are the cluster's, which sinfo tells at start: no number to show yet
                    boolean cluster = provider.batch().isPresent() && provider.cpusFromMachine(plan.spec());
                    rows.add(row(plan.name(), null, null, cluster ? null : plan.cpus(), provider.kind(), 0.0,
                            cluster ? "no charge from Katapult's side; cpus: the cluster's (sinfo, at start), each"
                                    + " array asking its job's cpus_req per task" : "no charge from Katapult's side"));
                }
            }
        }
        double total = rows.stream().filter(r -> r.get("hourly") != null).mapToDouble(r -> (Double) r.get("hourly"))
                .sum();
        long unknown = rows.stream().filter(r -> r.get("hourly") == null).count();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("project", loaded.project());
            out.put("provider", loaded.provider().name().toLowerCase(Locale.ROOT));
            out.put("instances", rows);
            out.put("totalPerHour", total);
            out.put("unknownPrices", unknown);
            if (!submissions.isEmpty()) {
                out.put("submissions", submissions);
            }
            Json.print(out, console.out());
            return ExitCodes.OK;
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"INSTANCE", "REGION", "TYPE", "CPUS", "MARKET", "$/HOUR", "NOTE"});
        for (Map<String, Object> r : rows) {
            table.add(new String[] {(String) r.get("name"), dash(r.get("region")), dash(r.get("type")),
                    dash(r.get("cpus")), (String) r.get("market"), price((Double) r.get("hourly")),
                    (String) r.get("note")});
        }
        console.out().println("project " + loaded.project() + ": " + rows.size() + " instance(s) to have");
        Tables.table(table, console.out());
        console.out().println();
        console.out().println("total: " + price(total) + "/hour" + (unknown == 0 ? ""
                : " + " + unknown + " instance(s) at an unknown price (see NOTE)"));
        if (!submissions.isEmpty()) {
            console.out().println();
            console.out().println("first submissions (one job array per job; R is the instance's folder):");
            submissions.forEach(line -> console.out().println("  " + line));
        }
        return ExitCodes.OK;
    }

    /** The sbatch command of each job's first array (a job waiting for others is submitted once they are done). */
    private static List<String> sbatchLines(Config config, Plan plan, BatchScheduler batch) {
        List<String> lines = new ArrayList<>();
        var spec = plan.instances().isEmpty() ? null : plan.instances().get(0).spec();
        if (spec != null) {
            for (BatchArrays.Submission s : BatchArrays.firstOf(config.project(), plan)) {
                lines.add(batch.describe(spec, s.array()));
            }
        }
        return lines;
    }

    private static Map<String, Object> row(String name, String region, String type, Integer cpus, String market,
                                           Double hourly, String note) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("region", region);
        row.put("type", type);
        row.put("cpus", cpus);
        row.put("market", market);
        row.put("hourly", hourly);
        row.put("note", note);
        return row;
    }

    private static String price(Double hourly) {
        return hourly == null ? "unknown" : String.format(Locale.ROOT, "$%.4f", hourly);
    }

    private static String dash(Object value) {
        return value == null ? "-" : value.toString();
    }
}

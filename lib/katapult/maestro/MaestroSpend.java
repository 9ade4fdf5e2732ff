package katapult.maestro;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import katapult.cost.Spend;

/**
 * The maestro instance's own spend added to the status its Katapult reports: that Katapult counts its workers only,
 * the maestro's starts and stops are recorded by the machine that handed the session off.
 */
final class MaestroSpend {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MaestroSpend() {
    }

    /** The status table with a last line for the maestro instance. */
    static String text(String status, Spend spend) {
        return status + (status.isEmpty() || status.endsWith("\n") ? "" : "\n") + "the maestro instance: "
                + spend.line() + "\n";
    }

    /**
     * {@code status --json} with {@code cost.maestro}: {@code {spent, burnPerHour}}. A text that is not a JSON object
     * (the maestro's Katapult failed and said why) is left as it is.
     */
    static String json(String status, Spend spend) {
        try {
            Map<String, Object> json = JSON.readValue(status, JSON.getTypeFactory()
                    .constructMapType(LinkedHashMap.class, String.class, Object.class));
            Object cost = json.get("cost");
            @SuppressWarnings("unchecked")
            Map<String, Object> costs = cost instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
            Map<String, Object> maestro = new LinkedHashMap<>();
            maestro.put("spent", spend.dollars());
            maestro.put("burnPerHour", spend.burnPerHour());
            costs.put("maestro", maestro);
            json.put("cost", costs);
            return JSON.writeValueAsString(json) + "\n";
        } catch (JsonProcessingException e) {
            return status;
        }
    }
}

package dev.initbench.localcloud.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * The handler {@link RuntimeClassArchive} starts the runtime client with to learn which classes the runtime itself
 * loads: it does nothing at init, so every class listed is the JDK's or the runtime client's, none a function's.
 * Never invoked.
 */
public final class ArchiveTrainingHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return event;
    }
}

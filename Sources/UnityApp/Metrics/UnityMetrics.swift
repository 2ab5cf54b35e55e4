import Prometheus
import UnityCore
import Vapor

/// Unity's Prometheus registry and the platform's own series. Names follow Prometheus practice
/// (`_total` counters, base units, HELP on every family) so `promtool check metrics` stays clean.
public final class UnityMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(10),
    ]
    static let taskBuckets: [Duration] = [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(300)]

    init() {
        registry.makeGauge(
            descriptor: .init(namespace: "unity", metricName: "build", unitName: "info", helpText: "Build information; the value is always 1."),
            labels: [("version", UnityVersion.current)]
        ).set(1.0)
    }

    func recordRequest(method: String, route: String, status: UInt, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "unity", subsystem: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests answered, by method, route pattern and status."),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "unity", subsystem: "http", metricName: "request_duration", unitName: "seconds", helpText: "Time to answer HTTP requests, by method and route pattern."),
            labels: [("method", method), ("route", route)],
            buckets: Self.latencyBuckets
        ).record(duration)
    }

    func recordTaskRun(task: String, status: String, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "unity", subsystem: "task", metricName: "runs", unitName: "total", helpText: "Scheduled task runs, by task and final status."),
            labels: [("task", task), ("status", status)]
        ).increment()
        if status == "failed" {
            registry.makeCounter(
                descriptor: .init(namespace: "unity", subsystem: "task", metricName: "failures", unitName: "total", helpText: "Scheduled task runs that failed, by task."),
                labels: [("task", task)]
            ).increment()
        }
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "unity", subsystem: "task", metricName: "duration", unitName: "seconds", helpText: "Duration of scheduled task runs, by task."),
            labels: [("task", task)],
            buckets: Self.taskBuckets
        ).record(duration)
    }
}

/// Counts and times every request by its route *pattern* (`/api/v1/users/:id`), never the raw path,
/// so label cardinality stays bounded whatever clients send.
struct MetricsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            record(request, status: UnityErrorMiddleware.map(error).status.code, since: start, clock: clock)
            throw error
        }
        record(request, status: response.status.code, since: start, clock: clock)
        return response
    }

    private func record(_ request: Request, status: UInt, since start: ContinuousClock.Instant, clock: ContinuousClock) {
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        request.unity.metrics.recordRequest(method: request.method.rawValue, route: route, status: status, duration: clock.now - start)
    }
}

package io.un0.scheduler.fleet;

import com.google.protobuf.Empty;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.un0.proto.GrpcStatuses;
import io.un0.proto.ProtoTime;
import io.un0.proto.UnreadableRequests;
import io.un0.proto.v1.ClearBudgetRequest;
import io.un0.proto.v1.ListBudgetsRequest;
import io.un0.proto.v1.ListBudgetsResponse;
import io.un0.proto.v1.ListPoolsRequest;
import io.un0.proto.v1.ListPoolsResponse;
import io.un0.proto.v1.ListSignalsRequest;
import io.un0.proto.v1.ListSignalsResponse;
import io.un0.proto.v1.ListWorkersRequest;
import io.un0.proto.v1.ListWorkersResponse;
import io.un0.proto.v1.MutinyFleetGrpc;
import io.un0.proto.v1.PowerBudget;
import io.un0.proto.v1.SetBudgetRequest;
import io.un0.proto.v1.SustainabilityReport;
import io.un0.proto.v1.SustainabilityReportRequest;
import io.un0.routing.FleetView;
import io.un0.routing.GridSignal;
import io.un0.routing.WorkerState;
import io.un0.scheduler.SchedulerService;
import io.un0.scheduler.budget.BudgetUnavailableException;
import io.un0.scheduler.budget.InvalidBudgetException;
import io.un0.scheduler.budget.PowerBudgetBook;
import io.un0.scheduler.report.InvalidReportRequestException;
import io.un0.scheduler.report.ReportUnavailableException;
import io.un0.scheduler.report.SustainabilityReports;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * The operators' gRPC API: caps through the budget book (answered once this scheduler has read them back, so the
 * next ListPools shows them), and the fleet and grid as the scheduler's loop sees them now.
 */
@GrpcService
public class FleetService extends MutinyFleetGrpc.FleetImplBase {

    /** Kafka that missed one acknowledgement usually takes the next write: a short wait is enough. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private static final String ANONYMOUS = "fleet-api";

    private final PowerBudgetBook book;
    private final SchedulerService scheduler;
    private final SustainabilityReports reports;

    FleetService(PowerBudgetBook book, SchedulerService scheduler, SustainabilityReports reports) {
        this.book = book;
        this.scheduler = scheduler;
        this.reports = reports;
    }

    /** Bytes that are not a request are refused naming the message type, not answered UNKNOWN by grpc-java. */
    @Override
    public ServerServiceDefinition bindService() {
        return UnreadableRequests.refusedPrecisely(super.bindService());
    }

    @Override
    @Blocking
    public Uni<PowerBudget> setBudget(SetBudgetRequest r) {
        return answer(() -> {
            // By value: an unknown scope number must reach the validation, not fail in the builder.
            PowerBudget b = PowerBudget.newBuilder().setScopeValue(r.getScopeValue()).setName(r.getName()).setWatts(r.getWatts())
                    .setSetBy(r.getSetBy().isEmpty() ? ANONYMOUS : r.getSetBy()).setReason(r.getReason())
                    .setUpdated(ProtoTime.now()).build();
            book.awaitRead(book.set(b));
            return b;
        });
    }

    @Override
    @Blocking
    public Uni<Empty> clearBudget(ClearBudgetRequest r) {
        return answer(() -> {
            book.awaitRead(book.clear(r.getScope(), r.getName()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public Uni<ListBudgetsResponse> listBudgets(ListBudgetsRequest r) {
        return Uni.createFrom().item(() -> ListBudgetsResponse.newBuilder().addAllBudgets(book.list()).build());
    }

    @Override
    public Uni<ListPoolsResponse> listPools(ListPoolsRequest r) {
        return Uni.createFrom().item(() -> {
            FleetView view = scheduler.loop().fleetNow();
            return ListPoolsResponse.newBuilder().setAt(ProtoTime.timestamp(view.at()))
                    .addAllPools(view.pools().stream().map(FleetMessages::pool).toList()).build();
        });
    }

    @Override
    public Uni<ListWorkersResponse> listWorkers(ListWorkersRequest r) {
        return Uni.createFrom().item(() -> ListWorkersResponse.newBuilder().addAllWorkers(scheduler.loop().liveWorkers().stream()
                .sorted(Comparator.comparing(WorkerState::worker)).map(FleetMessages::worker).toList()).build());
    }

    @Override
    public Uni<ListSignalsResponse> listSignals(ListSignalsRequest r) {
        return Uni.createFrom().item(() -> ListSignalsResponse.newBuilder().addAllSignals(scheduler.loop().gridNow().values().stream()
                .sorted(Comparator.comparing(GridSignal::region)).map(FleetMessages::signal).toList()).build());
    }

    @Override
    @Blocking
    public Uni<SustainabilityReport> getSustainabilityReport(SustainabilityReportRequest r) {
        return answer(() -> reports.report(r));
    }

    /** The book's and the reports' refusals as the statuses a client acts upon: fix the fields, or retry. */
    private static <T> Uni<T> answer(Supplier<T> call) {
        return Uni.createFrom().item(() -> {
            try {
                return call.get();
            } catch (InvalidBudgetException e) {
                throw GrpcStatuses.invalid(e.violations());
            } catch (BudgetUnavailableException e) {
                throw GrpcStatuses.unavailable(e.getMessage(), RETRY_AFTER);
            } catch (InvalidReportRequestException e) {
                throw GrpcStatuses.invalid(e.violations());
            } catch (ReportUnavailableException e) {
                throw GrpcStatuses.unavailable(e.getMessage(), RETRY_AFTER);
            }
        });
    }
}

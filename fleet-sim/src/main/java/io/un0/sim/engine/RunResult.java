package io.un0.sim.engine;

/**
 * One policy's figures over a scenario. Energy and emissions are modelled from the scenario's declared pool
 * figures and the recorded grid traces.
 *
 * @param gramsPerImage      SCI per image: energy drawn while serving × grid intensity + embodied share, over images served
 * @param joulesPerImage     energy drawn while serving (idle share at the pool's speed included), per image
 * @param idleKwh            energy drawn by pools with nothing to run, not attributed to images
 * @param shedByUrgency      jobs shed, by {@link io.un0.routing.Urgency} ordinal (interactive, batch, deferrable)
 * @param lateByUrgency      jobs done after their deadline, likewise
 * @param deadlinesMet       jobs done by their deadline over all jobs (shed ones count as missed)
 * @param budgetViolations   site budget intervals whose average draw exceeded the budget
 * @param decisionMeanMicros the policy's mean time per call, inside the simulator
 */
public record RunResult(String policy, long jobs, long images, long shed, long[] shedByUrgency, long[] lateByUrgency, double gramsPerImage, double joulesPerImage, double idleKwh,
                        double idleGrams, double deadlinesMet, long budgetViolations, double interactiveP50Seconds,
                        double interactiveP99Seconds, long decisions, long deferrals, double decisionMeanMicros) {
}

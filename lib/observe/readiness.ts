/**
 * Readiness: each dependency (engine, rtpengine, state backend, …) reports its own status; the
 * process is ready only while every required dependency is up. Status is pushed by the component
 * that knows it (health checks run there), so /ready is cheap and never blocks on I/O.
 */
export interface DependencyStatus {
  up: boolean;
  required: boolean;
  detail: string;
  since: string;
}

export interface ReadinessSnapshot {
  ready: boolean;
  draining: boolean;
  dependencies: Record<string, DependencyStatus>;
}

type Listener = (name: string, status: DependencyStatus) => void;

export class Readiness {
  private readonly deps = new Map<string, DependencyStatus>();
  private readonly listeners: Listener[] = [];
  private drainingFlag = false;

  /** Declare a dependency; it starts down until its component reports otherwise. */
  declare(name: string, required: boolean, detail = 'starting'): void {
    this.deps.set(name, { up: false, required, detail, since: new Date().toISOString() });
  }

  report(name: string, up: boolean, detail: string): void {
    const prev = this.deps.get(name);
    if (!prev) throw new Error(`readiness: undeclared dependency "${name}"`);
    if (prev.up === up && prev.detail === detail) return;
    const next: DependencyStatus = {
      up,
      required: prev.required,
      detail,
      since: prev.up === up ? prev.since : new Date().toISOString(),
    };
    this.deps.set(name, next);
    for (const l of this.listeners) l(name, next);
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Once draining, the process reports not-ready whatever its dependencies say. */
  startDraining(): void {
    this.drainingFlag = true;
  }

  snapshot(): ReadinessSnapshot {
    const dependencies: Record<string, DependencyStatus> = {};
    let ready = !this.drainingFlag;
    for (const [name, s] of this.deps) {
      dependencies[name] = { ...s };
      if (s.required && !s.up) ready = false;
    }
    return { ready, draining: this.drainingFlag, dependencies };
  }
}

// pidusage ships no types; this declares the part metabench uses (pidusage 4).
declare module 'pidusage' {
  /** One process's usage: `cpu` in percent of one core since the last call, `memory` RSS bytes. */
  interface Stat {
    cpu: number;
    memory: number;
    ppid: number;
    pid: number;
    ctime: number;
    elapsed: number;
    timestamp: number;
  }
  function pidusage(pid: number | string): Promise<Stat>;
  namespace pidusage {
    /** Drops the history kept for CPU deltas. */
    function clear(): void;
  }
  export default pidusage;
}

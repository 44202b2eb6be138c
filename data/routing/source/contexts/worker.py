import threading
import queue

results = {}
lock = threading.Lock()
jobs = queue.Queue()


def worker():
    while True:
        job = jobs.get()
        if job is None:
            break
        value = job.run()
        if job.id not in results:
            with lock:
                results[job.id] = value
        jobs.task_done()


def run_all(all_jobs, n=8):
    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for j in all_jobs:
        jobs.put(j)
    jobs.join()
    return results

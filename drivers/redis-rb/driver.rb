#!/usr/bin/ruby
# sentinel-chaos client driver for redis-rb (docs/client-drivers.md).
#
# Reads its configuration (one JSON line) on stdin, makes one redis-rb client
# per simulated client with the library's own Sentinel support
# (Redis.new(url: "redis://NAME", sentinels: [...], role: :master)) or a plain
# client to the VIP / a fixed server, says "ready", waits for "start", drives
# the workload and writes one "op" line per completed operation on stdout,
# stamped on the harness's clock (CLOCK_MONOTONIC minus the run's zero, which
# the harness passes in).
require "json"
begin
  require "redis"
rescue LoadError => e
  warn "redis-rb is not installed (apt-get install ruby-redis): #{e.message}"
  exit 3
end

LIBRARY = "redis-rb"
# 4.8 warns on every SADD unless told which return type the caller wants.
Redis.sadd_returns_boolean = false if Redis.respond_to?(:sadd_returns_boolean=)

# Options per profile. defaults: none passed, every value is the library's
# own (redis-rb 4.8.0 lib/redis/client.rb DEFAULTS: timeout 5.0 for connect,
# read and write; reconnect_attempts 1; reconnect_delay 0; no handling of
# READONLY). tuned: the README's "Timeouts" and "Reconnections" sections:
# short connect/read/write timeouts and several reconnect attempts with an
# exponential delay.
def profile_options(profile)
  return [{}, {}] if profile == "defaults"
  o = { connect_timeout: 0.2, read_timeout: 0.5, write_timeout: 0.5,
        reconnect_attempts: 3, reconnect_delay: 0.05, reconnect_delay_max: 0.5 }
  [o, o.transform_keys(&:to_s)]
end

def classify(err)
  text = err.message.to_s
  up = text.upcase
  return %w[fail READONLY] if up.include?("READONLY") || text.include?("role mismatch")
  %w[NOREPLICAS LOADING MASTERDOWN].each { |c| return ["fail", c] if up.start_with?(c) }
  return %w[fail other] if err.is_a?(Redis::CommandError)
  return %w[fail no-master] if text.include?("via Sentinel") || text.include?("No sentinels available")
  if err.is_a?(Redis::CannotConnectError) # raised before anything was sent
    return %w[fail timeout] if text.include?("Timeout")
    return %w[fail refused] if text =~ /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/
    return %w[fail other]
  end
  return %w[unknown timeout] if err.is_a?(Redis::TimeoutError)
  return %w[unknown reset] if err.is_a?(Redis::BaseConnectionError)
  %w[unknown other]
end

class Driver
  attr_accessor :stop_at

  def initialize(cfg)
    @cfg = cfg
    @zero = Integer(cfg["clock_zero_ns"])
    @out = []
    @out_mu = Mutex.new
    @inflight = {}
    @inflight_mu = Mutex.new
    @stop = false
    @stop_at = 0
    @options, @shown = profile_options(cfg["profile"])
    @clients = Array.new(cfg["clients"]) { make_client }
  end

  attr_reader :shown

  def now
    Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond) - @zero
  end

  def crashed?
    @crashed == true
  end

  def stop!
    @stop_at = now
    @stop = true
  end

  def make_client
    o = @options.dup
    o[:password] = @cfg["password"] unless @cfg["password"].to_s.empty?
    if @cfg["via"] == "sentinel"
      sentinels = @cfg["sentinels"].map { |s| { host: s["host"], port: s["port"] } }
      Redis.new(**o, url: "redis://#{@cfg['master_name']}", sentinels: sentinels, role: :master)
    else
      Redis.new(**o, host: @cfg["address"]["host"], port: @cfg["address"]["port"])
    end
  end

  def line(obj)
    s = JSON.generate(obj)
    @out_mu.synchronize { @out << s }
  end

  def flush
    lines = @out_mu.synchronize { l = @out; @out = []; l }
    return if lines.empty?
    $stdout.write(lines.join("\n") + "\n")
    $stdout.flush
  end

  def request(index, seq, rng)
    key = @cfg["key"]
    base = @cfg["client_base"]
    element = "c#{base + index}-#{seq}"
    w = @cfg["workload"]
    return ["w", element, ->(c) { c.sadd(key, element) }] if w == "set" || (w == "mixed" && rng.rand >= @cfg["read_fraction"])
    return ["w", "1", ->(c) { c.incr(key) }] if w == "counter"
    return ["r", key, ->(c) { c.scard(key) }] if rng.rand < 0.5
    past = "c#{base + index}-#{rng.rand(seq + 1)}"
    ["r", key, ->(c) { c.sismember(key, past) }]
  end

  def server_of(c)
    c._client.connected? ? c._client.location : ""
  rescue StandardError
    ""
  end

  def run_client(index, start, finish)
    c = @clients[index]
    rng = Random.new(0x5eed0000 + @cfg["client_base"] + index)
    rate = @cfg["rate"].to_f
    n = @cfg["clients"]
    interval = rate > 0 ? n * 1e9 / rate : 0
    offset = interval * index / n
    seq = 0
    until @stop
      if rate > 0
        invoke = start + (offset + interval * seq).round
        break if invoke >= finish || now >= finish
        until @stop
          left = invoke - now # read once: it must not turn negative between test and sleep
          break if left <= 0
          sleep([0.002, left / 1e9].min)
        end
        break if @stop
      else
        invoke = now
        break if invoke >= finish
      end
      kind, value, call = request(index, seq, rng)
      op = { "t" => "op", "c" => @cfg["client_base"] + index, "s" => seq, "k" => kind, "v" => value, "i" => invoke }
      @inflight_mu.synchronize { @inflight[index] = op }
      begin
        call.call(c)
        op["o"] = "ok"
      rescue StandardError => e
        op["o"], op["x"] = classify(e)
        op["m"] = "#{e.class}: #{e.message}"
      end
      op["e"] = now
      srv = server_of(c)
      op["srv"] = srv unless srv.empty?
      mine = @inflight_mu.synchronize { @inflight.delete(index) if @inflight[index].equal?(op) }
      return unless mine
      line(op)
      # A client whose commands fail at once must not spin.
      sleep(0.005) if op["o"] != "ok" && op["e"] - invoke < 1_000_000
      seq += 1
    end
  end

  def run(start, finish)
    # A bug in a client thread must fail the run (exit 1, backtrace on
    # stderr), never look like a client that quietly stopped sending.
    threads = Array.new(@cfg["clients"]) do |i|
      Thread.new do
        run_client(i, start, finish)
      rescue Exception => e # rubocop:disable Lint/RescueException
        warn "client #{i}: #{e.class}: #{e.message}\n#{e.backtrace.join("\n")}"
        @crashed = true
      end
    end
    drain_end = finish + Integer(@cfg["drain_ns"] || 1_000_000_000)
    while threads.any?(&:alive?)
      flush
      t = now
      break if t >= drain_end || (@stop && t >= @stop_at + 1_000_000_000)
      sleep 0.05
    end
    left = @inflight_mu.synchronize { l = @inflight.values; @inflight = {}; l }
    left.each do |op|
      op.merge!("e" => now, "o" => "unknown", "x" => "timeout", "m" => "no reply when the load ended")
      line(op)
    end
    flush
  end
end

Thread.report_on_exception = false
$stdout.sync = false
cfg = JSON.parse($stdin.gets)
driver = Driver.new(cfg)
$stdout.write(JSON.generate({ "t" => "ready", "library" => LIBRARY, "version" => Redis::VERSION,
                              "profile" => cfg["profile"], "settings" => driver.shown }) + "\n")
$stdout.flush
start_line = $stdin.gets
exit!(0) if start_line.nil?
s = JSON.parse(start_line)
Thread.new do
  $stdin.gets
  driver.stop!
end
driver.run(Integer(s["start_ns"]), Integer(s["end_ns"]))
$stdout.write(JSON.generate({ "t" => "done" }) + "\n")
$stdout.flush
exit!(driver.crashed? ? 1 : 0)

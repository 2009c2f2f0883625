# Static check of the Vagrantfile without Vagrant or VMs (CI has neither): loads it with a
# recording stand-in for Vagrant's configuration object, then checks what it declares:
#   - the VMs cp, w1, w2 and ext exist, each with a private-network address;
#   - every provisioning script exists, and every variable a script demands with `require_env`
#     is in the environment the Vagrantfile hands it;
#   - the synced folder maps the repository to /ovs-anp, where the scripts find lib.sh and lab/;
#   - every file a provisioning script names under /ovs-anp/ exists in the repository (the built jar
#     aside), and so does every deploy/ manifest it applies in a `for manifest in ...` loop;
#   - the mode (OVSANP_MODE, as for `vagrant up`): in central mode every Kubernetes node runs
#     provision/central-switch.sh after joining; in agent mode none does.
# Usage: [OVSANP_MODE=central] ruby vagrant/test/check_vagrantfile.rb   (exit 1 with a list of problems)

VAGRANT_DIR = File.expand_path("..", __dir__)
REPO_DIR = File.expand_path("..", VAGRANT_DIR)

# Records every call; nested blocks get their own recorder.
class Recorder
  attr_reader :calls, :children, :name

  def initialize(name = "config")
    @name = name
    @calls = []
    @children = {}
  end

  def method_missing(method, *args, **kwargs, &block)
    @calls << [method, args, kwargs]
    return args.first if method.to_s.end_with?("=")

    if method == :define
      child = Recorder.new(args.first.to_s)
      @children[args.first.to_s] = child
      block&.call(child)
      return child
    end
    if block
      child = Recorder.new("#{@name}.#{method}")
      block.call(child)
    end
    @children[method.to_s] ||= Recorder.new("#{@name}.#{method}")
  end

  def respond_to_missing?(*)
    true
  end
end

module Vagrant
  @root = nil
  class << self
    attr_reader :root

    def configure(version)
      raise "Vagrant.configure(\"2\") expected, got #{version.inspect}" unless version == "2"

      @root = Recorder.new
      yield @root
    end
  end
end

Dir.chdir(VAGRANT_DIR) do
  load File.join(VAGRANT_DIR, "Vagrantfile")
end

problems = []
root = Vagrant.root or abort("the Vagrantfile never called Vagrant.configure")
vm = root.children["vm"] or abort("the Vagrantfile never configured config.vm")

synced = vm.calls.select { |m, _, _| m == :synced_folder }
problems << "the repository is not synced to /ovs-anp" unless synced.any? { |_, a, _| a == ["..", "/ovs-anp"] }

machines = vm.children.reject { |k, _| %w[provision network provider synced_folder].include?(k) }
%w[cp w1 w2 ext].each { |name| problems << "no VM named #{name}" unless machines.key?(name) }

mode = ENV.fetch("OVSANP_MODE", "agent")
central_switch = "provision/central-switch.sh"
machines.each do |name, machine|
  inner = machine.children["vm"]
  if inner.nil?
    problems << "#{name}: no vm settings"
    next
  end
  paths = inner.calls.select { |m, _, _| m == :provision }.map { |_, _, kw| kw[:path] }
  if %w[cp w1 w2].include?(name)
    role = paths.index { |p| p =~ %r{provision/(control-plane|worker)\.sh\z} }
    switch = paths.index(central_switch)
    if mode == "central" && (switch.nil? || role.nil? || switch < role)
      problems << "#{name}: central mode runs #{central_switch} after the node's role script, got #{paths.inspect}"
    elsif mode != "central" && switch
      problems << "#{name}: #{central_switch} in #{mode} mode"
    end
  end
  networks = inner.calls.select { |m, a, _| m == :network && a.first == "private_network" }
  problems << "#{name}: no private_network address" if networks.none? { |_, _, kw| kw[:ip].to_s =~ /\A\d+\.\d+\.\d+\.\d+\z/ }
  provisions = inner.calls.select { |m, _, _| m == :provision }
  problems << "#{name}: no provisioning script" if provisions.empty?
  provisions.each do |_, args, kw|
    path = kw[:path] or next(problems << "#{name}: provision #{args.inspect} has no path")
    file = File.join(VAGRANT_DIR, path)
    next problems << "#{name}: #{path} does not exist" unless File.file?(file)

    env = kw[:env] || {}
    File.read(file).scan(/^\s*require_env\s+(.+)$/).flatten.flat_map(&:split).each do |var|
      problems << "#{name}: #{path} requires #{var}, the Vagrantfile does not set it" unless env.key?(var) && !env[var].to_s.empty?
    end
  end
end

# Files the scripts name in the synced repository: a renamed manifest or patch fails here, not on a VM.
Dir[File.join(VAGRANT_DIR, "provision", "*.sh")].each do |script|
  text = File.read(script)
  text.scan(%r{/ovs-anp/([A-Za-z0-9_./-]+)}).flatten.uniq.each do |rel|
    next if rel.start_with?("ovs-controller/target") # the jar is built on the host before `vagrant up`

    problems << "#{File.basename(script)} names /ovs-anp/#{rel}, which is not in the repository" unless File.exist?(File.join(REPO_DIR, rel))
  end
  text.scan(/^\s*for manifest in ([^;]+); do/).flatten.flat_map(&:split).each do |manifest|
    file = File.join(REPO_DIR, "deploy", "#{manifest}.yaml")
    problems << "#{File.basename(script)} applies deploy/#{manifest}.yaml, which does not exist" unless File.file?(file)
  end
end

if problems.empty?
  puts "Vagrantfile (#{mode} mode): #{machines.size} VMs (#{machines.keys.join(', ')}), provisioning scripts, " \
       "files and environment OK"
else
  warn problems.map { |p| "Vagrantfile: #{p}" }.join("\n")
  exit 1
end

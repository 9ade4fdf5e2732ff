package katapult.dsl.python

import static katapult.config.TempConfig.withoutSource

import java.nio.file.Path
import katapult.config.ConfigException
import katapult.config.Located
import katapult.config.Problem
import katapult.config.RawMap
import katapult.config.TempConfig
import katapult.dsl.ConfigLoader
import spock.lang.Specification
import spock.lang.TempDir

/** Python configs: the literal tree, its translation into the map form's tree, and loading .py files. */
class PythonConfigSpec extends Specification {

    @TempDir
    Path dir

    static RawMap read(String text, List<Problem> problems = []) {
        PythonConfig.read(text, 'c.py', problems)
    }

    static Object plain(Object v) {
        v instanceof RawMap m ? m.keys().collectEntries { [it, plain(m.get(it).value())] }
                : v instanceof List ? v.collect { plain(((Located) it).value()) } : v
    }

    def "literal dicts, lists, tuples, strings, numbers, True, False and None, with trailing commas"() {
        when:
        def root = read('''# a comment
"""A docstring."""
config = {
    'project' : "p" ,            # trailing comment
    'flag'    : True,
    'off'     : False,
    'nothing' : None,
    'numbers' : [1, -2, +3, 1.5, -0.5, ],
    'tuple'   : ('a', 'b'),
    'one'     : ('x',),
    'grouped' : ('y'),
    'empty'   : (),
    'nested'  : {'k': [{'deep': 'v'}]},
    'joined'  : 'a' "b"
                'c',
}
''')

        then:
        plain(root) == [project: 'p', flag: true, off: false, nothing: null, numbers: [1, -2, 3, 1.5G, -0.5G],
                        tuple: ['a', 'b'], one: ['x'], grouped: 'y', empty: [], nested: [k: [[deep: 'v']]],
                        joined: 'abc']
    }

    def "every value is placed at the line of its key, and list items at their own line"() {
        when:
        def root = read("config = {\n  'jobs': [\n    {\n      'run_command': 'x',\n    },\n  ],\n}\n")
        def jobs = root.get('jobs')
        def job = (jobs.value() as List<Located>)[0]

        then:
        root.line() == 1
        jobs.line() == 2
        job.line() == 3
        (job.value() as RawMap).get('run_command').line() == 4
    }

    def "#what is refused at its line, naming it and the Groovy map form"() {
        when:
        read(src)

        then:
        ConfigException e = thrown()
        e.problems().size() == 1
        e.problems()[0].file() == 'c.py'
        e.problems()[0].line() == line
        e.problems()[0].message().startsWith(message)
        e.problems()[0].message().contains('Groovy map form')

        where:
        what                  | src                                                            | line | message
        'a call'              | "config = {\n 'x': f(1),\n}\n"                                | 2    | 'a call of f()'
        'a timedelta'         | "config = {\n 'eco_life': timedelta(hours=2),\n}\n"            | 2    | "a call of timedelta() (a duration is a string here, such as '2h'"
        'a module timedelta'  | "config = {\n 'eco_life': datetime.timedelta(hours=2),\n}\n"   | 2    | "the name 'datetime' (a module or variable) (a duration is a string"
        'a method call'       | "config = {\n 'x': 'a'.upper(),\n}\n"                          | 2    | 'an attribute or method'
        'a variable'          | "config = {\n 'project': name,\n}\n"                           | 2    | "the name 'name'"
        'an operator'         | "config = {\n 'repeat': 2 * 3,\n}\n"                           | 2    | "the operator '*'"
        'string concatenation' | "config = {\n 'p': 'a' + 'b',\n}\n"                          | 2    | "the operator '+'"
        'a comprehension'     | "config = {\n 'jobs': [1 for i in range(3)],\n}\n"             | 2    | 'a comprehension'
        'a dict comprehension' | "config = {k: 1 for k in 'ab'}\n"                             | 1    | "the name 'k'"
        'a conditional'       | "config = {\n 'x': 1 if True else 2,\n}\n"                     | 2    | "'if' (a conditional expression)"
        'an import'           | "import os\nconfig = {}\n"                                     | 1    | 'an import'
        'a from import'       | "from x import y\nconfig = {}\n"                               | 1    | 'an import'
        'another variable'    | "base = {}\nconfig = {}\n"                                     | 1    | "the variable 'base'"
        'a statement'         | "config = {}\nif True:\n    pass\n"                            | 2    | "a Python 'if' statement"
        'changing config'     | "config = {}\nconfig['jobs'] = []\n"                           | 2    | "changing config with '['"
        'a set'               | "config = {\n 'x': {'a', 'b'},\n}\n"                           | 2    | 'a set'
        'an f-string'         | "config = {\n 'x': f'{y}',\n}\n"                               | 2    | 'an f-string'
        'bytes'               | "config = {\n 'x': b'raw',\n}\n"                               | 2    | 'a bytes literal'
        'Ellipsis'            | "config = {\n 'x': 1,\n ...\n}\n"                              | 3    | "'...' (Ellipsis)"
        'unpacking'           | "config = {\n **base,\n}\n"                                    | 2    | "unpacking with '**'"
        'a lambda'            | "config = {\n 'x': lambda: 1,\n}\n"                            | 2    | "the operator 'lambda'"
        'a print call'        | "print('hi')\nconfig = {}\n"                                   | 1    | 'a call of print()'
        'a chained assignment' | "config = x = {}\n"                                           | 1    | "the name 'x'"
    }

    def "#what is a syntax error at line #line: #message"() {
        when:
        read(src)

        then:
        ConfigException e = thrown()
        e.problems()[0].toString().startsWith("c.py:$line: $message")

        where:
        what                 | src                                                  | line | message
        'a missing comma'    | "config = {\n 'a': 1\n 'b': 2,\n}\n"                 | 3    | "''b'' follows a value here: a comma may be missing"
        'an unclosed dict'   | "config = {\n 'a': [1, 2],\n"                        | 1    | "'{' is never closed"
        'an unclosed list'   | "config = {\n 'a': [1, 2,\n}\n"                      | 3    | "'}' does not close '[' of line 2"
        'lower-case true'    | "config = {\n 'dev': true,\n}\n"                     | 2    | "'true' is no Python value: write True"
        'null'               | "config = {\n 'x': null,\n}\n"                       | 2    | "'null' is no Python value: write None"
        'a missing value'    | "config = {\n 'a': ,\n}\n"                           | 2    | "a value was expected here, found ','"
        'no config'          | "# nothing\n"                                        | 1    | 'this file holds no configuration'
        'config twice'       | "config = {}\nconfig = {}\n"                         | 2    | 'config is assigned a second time (first at line 1)'
        'a list as config'   | "config = [1]\n"                                     | 1    | 'config must be a dict'
        'an indented line'   | "config = {}\n  'x'\n"                               | 2    | 'unexpected indent'
    }

    def "a key that is no string and a key written twice are problems at their lines; the rest is read"() {
        given:
        List<Problem> problems = []

        when:
        def root = read("config = {\n 'a': 1,\n 3: 'x',\n 'a': 2,\n}\n", problems)

        then:
        problems*.toString() == ["c.py:3: a key must be a string in quotes, like 'project', got 3 (number)",
                                 "c.py:4: 'a' is written twice in this dict (first at line 2); only the last one would count"]
        plain(root) == [a: 2]
    }

    def "a .py config loads into the same config as its Groovy map form"() {
        given:
        def files = new TempConfig(dir)
        files.file('run.py', 'print(1)\n')
        files.file('in.dat')
        def py = files.file('seed.py', '''config = {
    'project'  : 'same',   # the project
    'dev'      : False,
    'instances': [ { 'cpus': 2, 'number': 1, 'eco_life': None } ],
    'environments': [ { 'name': None, 'env_pypi': [ 'numpy' ] } ],
    'jobs'     : [
        { 'run_script': 'run.py 1 10', 'input_files': 'in.dat', 'output_files': 'out.dat', 'repeat': 2, },
    ],
}
''')
        def groovy = files.file('seed.groovy', '''config = [
    project  : 'same',
    dev      : false,
    instances: [[cpus: 2, number: 1, eco_life: null]],
    environments: [[name: null, env_pypi: ['numpy']]],
    jobs     : [[run_script: 'run.py 1 10', input_files: 'in.dat', output_files: 'out.dat', repeat: 2]],
]
''')

        expect:
        withoutSource(ConfigLoader.load(py)) == withoutSource(ConfigLoader.load(groovy))
    }

    def "the binder's problems of a .py config name the .py file and its lines"() {
        given:
        def py = new TempConfig(dir).file('bad.py', '''config = {
    'project': 'bad',
    'instances': [
        { 'cpu': 2 },
    ],
    'jobs': [
        { 'run_command': 'x', 'repeat': 'three' },
        { 'run_script': 'missing.py' },
    ],
}
''')

        when:
        ConfigLoader.load(py)

        then:
        ConfigException e = thrown()
        def shown = e.problems()*.toString()
        shown.any { it.startsWith("$py:4: unknown key 'cpu'") && it.contains("did you mean 'cpus'") }
        shown.any { it.startsWith("$py:7: ") && it.contains("'repeat' must be a whole number") }
        shown.any { it.startsWith("$py:8: ") && it.contains('missing.py') }
    }

    def "an inert key of a .py config warns at its line"() {
        given:
        def py = new TempConfig(dir).file('w.py', "config = {\n 'dev': True,\n 'jobs': [{'run_command': 'x'}],\n}\n")

        expect:
        ConfigLoader.load(py).warnings()*.toString().any { it.startsWith("$py:2: warning: 'dev'") }
    }

    def "a .py file adds to a running config as a Groovy addition does"() {
        given:
        def files = new TempConfig(dir)
        def base = ConfigLoader.load(files.file('base.groovy', "katapult { project 'b'; job { name 'one'; runCommand 'x' } }"))
        def more = files.file('more.py', "config = {\n 'jobs': [ { 'name': 'two', 'run_command': 'y', 'after': 'one' } ],\n}\n")

        when:
        def merged = ConfigLoader.loadAddition(more, base)

        then:
        merged.jobs()*.name() == ['one', 'two']
    }
}

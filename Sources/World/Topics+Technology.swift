extension Knowledge {
    /// Machines and inventions: computers, robots, flight, power.
    static let technologyTopics: [Topic] = [
        Topic(
            name: "quantum computing", area: .technology,
            keywords: ["quantum", "qubit", "superposition", "entanglement"],
            technical: [
                "Quantum computing performs computation with qubits, which can exist in a superposition of the basis states zero and one.",
                "Entanglement correlates the states of several qubits, so that measuring one constrains the outcomes of the others.",
                "Quantum algorithms use interference to amplify the amplitudes of correct results and suppress incorrect ones.",
                "Current devices are noisy, and decoherence limits how long a qubit retains its quantum state.",
            ],
            simple: [
                "A quantum computer is a special kind of computer that uses qubits instead of normal bits.",
                "A normal bit is always a zero or a one.",
                "A qubit can be a mix of zero and one at the same time, until you look at it.",
                "Qubits can also be linked, so that what happens to one tells you about the other.",
                "This lets a quantum computer solve some special puzzles much faster than a normal computer.",
            ],
            analogies: [
                Analogy("a qubit", "a spinning coin that is a bit heads and a bit tails until it lands"),
                Analogy("a normal bit", "a light switch that is only on or off"),
                Analogy("two linked qubits", "a pair of magic dice that always land on the same number"),
            ],
            facts: [
                Fact("Quantum computers use qubits instead of normal bits.", ["qubit"]),
                Fact("A qubit can be zero and one at the same time.", ["zero", "one", "same time"]),
                Fact("Qubits can be linked so that one tells you about the other.", ["linked"]),
                Fact("Quantum computers are good at some special puzzles, not at everything.", ["puzzle"]),
                Fact("Quantum computers must be kept very cold and quiet to work.", ["cold"]),
            ],
            misconception: Misconception(
                claim: "A quantum computer is just a normal computer that is faster at everything.",
                triggers: ["faster at everything"],
                correction: "A quantum computer is only faster at some special puzzles, and a normal computer is better for games and homework."
            ),
            childQuestion: "If you had a coin that could be heads and tails at once, what game would you play with it?",
            storyIdea: "a tiny qubit that could not make up its mind"
        ),
        Topic(
            name: "robots", isPlural: true, area: .technology,
            keywords: ["robot", "sensor", "motor"],
            technical: [
                "A robot is a programmable machine that senses its environment, processes the data and actuates motors to act on it.",
                "Robots use sensors such as cameras, microphones and touch sensors to perceive the world.",
                "A controller runs software that maps sensor readings to motor commands.",
                "Machine learning lets some robots improve their behaviour from data rather than fixed rules.",
            ],
            simple: [
                "A robot is a machine that can sense the world and move to do a job.",
                "Robots have sensors, which work a bit like eyes, ears and skin.",
                "A small computer inside the robot decides what to do next.",
                "Motors move the robot's arms, legs or wheels.",
                "Robots do not have real feelings, but some can learn to act kind and notice how people feel.",
            ],
            analogies: [
                Analogy("a robot's sensors", "our eyes and ears that tell us what is around us"),
                Analogy("a robot's computer", "a brain that follows a long list of steps"),
                Analogy("a robot's motors", "muscles that pull and push"),
            ],
            facts: [
                Fact("Robots use sensors to notice the world around them.", ["sensor"]),
                Fact("A computer inside a robot tells it what to do.", ["computer"]),
                Fact("Motors make a robot move.", ["motor"]),
                Fact("Robots follow steps that people wrote, called a program.", ["program"]),
                Fact("Robots do not have real feelings like people do.", ["feeling"]),
            ],
            misconception: Misconception(
                claim: "Robots have real feelings, just like people do.",
                triggers: ["robots have real feelings"],
                correction: "Robots do not have real feelings; they can only copy the way people act when they feel something."
            ),
            childQuestion: "If you could build a robot friend, what job would you give it?",
            storyIdea: "a robot learning to feel",
            howTo: HowTo(
                questions: ["How can I build a simple robot at home?", "How can I make a robot out of a box?"],
                steps: [
                    "Find a small box, some bottle caps for wheels and a small toy motor.",
                    "Ask a grown-up to help you fix the motor and a battery inside the box.",
                    "Glue the bottle caps on the sides so the box can roll.",
                    "Draw eyes and a face on the front.",
                    "Switch it on and watch your robot roll across the floor.",
                ]
            )
        ),
        Topic(
            name: "computers", isPlural: true, area: .technology,
            keywords: ["computer", "processor", "binary", "memory chip"],
            technical: [
                "A computer is an electronic device that executes programs, sequences of instructions that transform input data into output.",
                "The central processing unit fetches, decodes and executes billions of instructions per second.",
                "Data and instructions are encoded in binary as sequences of bits.",
                "Volatile memory holds the working data, while storage keeps files when the power is off.",
            ],
            simple: [
                "A computer is a machine that follows instructions very, very fast.",
                "It stores everything as numbers made of zeros and ones.",
                "The part that does the thinking is called the processor.",
                "Memory is where the computer keeps things it is working on right now.",
                "People write the instructions, called programs, that tell a computer what to do.",
            ],
            analogies: [
                Analogy("a computer's processor", "a very fast cook who follows a recipe one step at a time"),
                Analogy("a computer's memory", "a desk where you put the things you are using right now"),
            ],
            facts: [
                Fact("Computers store everything as zeros and ones.", ["zeros", "ones"]),
                Fact("The processor is the part of a computer that does the work.", ["processor"]),
                Fact("Computers follow instructions called programs.", ["program"]),
                Fact("A computer can do billions of steps every second.", ["billion"]),
            ],
            misconception: Misconception(
                claim: "A computer thinks for itself and knows what you want.",
                triggers: ["thinks for itself"],
                correction: "A computer only follows the instructions that people wrote for it."
            ),
            childQuestion: "What would you ask a computer to do for you if it could follow any recipe?",
            storyIdea: "an old computer that helped a girl with her homework",
            howTo: HowTo(
                questions: ["How can I learn to make a computer game?", "How can I start writing my own computer program?"],
                steps: [
                    "Ask a grown-up to help you find a free coding tool made for kids.",
                    "Start with a tiny program that makes a cat or a ball move.",
                    "Change one number at a time and see what happens.",
                    "Add a rule, like making a sound when two things touch.",
                    "Show your game to a friend and ask what they would add.",
                ]
            )
        ),
        Topic(
            name: "the internet", area: .technology,
            keywords: ["internet", "network", "website", "packet"],
            technical: [
                "The internet is a global network of networks that exchange data using shared protocols such as TCP and IP.",
                "Data is split into packets, each routed independently through routers and reassembled at the destination.",
                "Every connected device has an address that routers use to forward packets.",
                "Undersea fibre optic cables carry most of the traffic between continents.",
            ],
            simple: [
                "The internet is a huge web of computers all over the world that are joined together.",
                "When you look at a website, your computer asks another computer far away for it.",
                "The message is cut into small pieces called packets.",
                "The pieces travel through wires, cables under the sea and radio waves, then join up again.",
                "This all happens in less than a second.",
            ],
            analogies: [
                Analogy("the internet", "a giant post office that sends letters between computers"),
                Analogy("packets", "pieces of a puzzle that are mailed one by one and put back together at the end"),
            ],
            facts: [
                Fact("The internet joins computers all over the world.", ["computers", "world"]),
                Fact("Messages are cut into small pieces called packets.", ["packet"]),
                Fact("Long cables under the sea carry internet messages between countries.", ["cable", "sea"]),
                Fact("Every computer on the internet has its own address.", ["address"]),
            ],
            misconception: Misconception(
                claim: "The internet lives in one big computer in the sky.",
                triggers: ["one big computer"],
                correction: "The internet is millions of computers joined by cables and radio waves, not one machine."
            ),
            childQuestion: "Where in the world would you like to send a message to right now?",
            storyIdea: "a little message that travelled across the sea through the internet"
        ),
        Topic(
            name: "airplanes", isPlural: true, area: .technology,
            keywords: ["airplane", "wing", "lift", "pilot"],
            technical: [
                "An airplane flies because its wings generate lift by deflecting air downward and creating lower pressure above the wing.",
                "Engines provide thrust to overcome drag.",
                "The angle of attack of the wing determines how much lift is produced at a given airspeed.",
                "Control surfaces such as ailerons, elevators and the rudder change the aircraft's orientation.",
            ],
            simple: [
                "An airplane is a big machine that flies through the air with wings.",
                "The engines push the plane forward very fast.",
                "As the plane moves, air rushes over and under the wings.",
                "The wings are shaped and tilted so they push air down, and the air pushes the plane up.",
                "This push up is called lift.",
            ],
            analogies: [
                Analogy("a wing", "your hand out of a car window that rises when you tilt it up"),
                Analogy("an airplane's engine", "a giant fan that pulls the plane forward"),
            ],
            facts: [
                Fact("Wings make a push up called lift.", ["lift"]),
                Fact("Engines push the plane forward.", ["engine"]),
                Fact("A plane must move fast for its wings to work.", ["fast", "wing"]),
                Fact("The pilot steers the plane with moving flaps on the wings and tail.", ["pilot"]),
            ],
            misconception: Misconception(
                claim: "Airplanes stay up because they are lighter than air.",
                triggers: ["lighter than air"],
                correction: "Airplanes are much heavier than air; they stay up because moving air pushes on their wings."
            ),
            childQuestion: "Have you ever felt the wind lift your hand out of a car window?",
            storyIdea: "a paper airplane that wanted to fly across the ocean",
            howTo: HowTo(
                questions: ["How can I make a paper airplane that flies far?", "How can I fold a good paper airplane?"],
                steps: [
                    "Take a sheet of paper and fold it in half the long way, then open it again.",
                    "Fold the two top corners down to the middle line.",
                    "Fold the new slanted edges to the middle line again.",
                    "Fold the plane in half and fold each side down to make the wings.",
                    "Throw it gently and a little bit up, and see how far it glides.",
                ]
            )
        ),
        Topic(
            name: "recycling", area: .technology,
            keywords: ["recycl", "plastic", "rubbish", "landfill"],
            technical: [
                "Recycling is the recovery of materials from waste streams so that they can be reprocessed into new products.",
                "Materials are sorted by type, cleaned, shredded or melted, and formed into raw feedstock.",
                "Recycling aluminium uses about five percent of the energy needed to produce it from ore.",
                "Contamination of recyclable streams with food or mixed materials lowers the quality of the output.",
            ],
            simple: [
                "Recycling means turning old things we throw away into new things.",
                "Paper, glass, metal cans and some plastic can be recycled.",
                "At a recycling center, machines sort them, clean them and melt or mash them.",
                "Then factories use them to make new bottles, cans and boxes.",
                "Recycling saves energy and keeps rubbish out of big holes in the ground.",
            ],
            analogies: [
                Analogy("recycling", "taking apart an old toy block tower to build a new castle"),
                Analogy("a recycling center", "a giant kitchen that turns leftovers into a new meal"),
            ],
            facts: [
                Fact("Paper, glass and metal cans can be recycled.", ["glass", "can"]),
                Fact("Recycling saves energy.", ["energy"]),
                Fact("Old things are sorted and cleaned before they are made into new things.", ["sort"]),
                Fact("Recycling keeps rubbish out of landfills.", ["landfill"]),
            ],
            misconception: Misconception(
                claim: "Everything you put in the recycling bin gets recycled.",
                triggers: ["everything", "gets recycled"],
                correction: "Dirty or mixed things often cannot be recycled, so it helps to rinse and sort them."
            ),
            childQuestion: "What could you make out of an empty box or bottle at home?",
            storyIdea: "a plastic bottle that was turned into a new toy",
            howTo: HowTo(
                questions: ["How can I recycle at home?", "How can my family recycle more?"],
                steps: [
                    "Put a box for paper and a box for cans and bottles in the kitchen.",
                    "Rinse bottles and cans so no food is left in them.",
                    "Flatten boxes so they take less space.",
                    "Check which plastic your town takes.",
                    "Take the boxes out on recycling day.",
                ]
            )
        ),
        Topic(
            name: "solar power", area: .technology,
            keywords: ["solar", "panel", "photovoltaic"],
            technical: [
                "Solar power converts sunlight into electricity using photovoltaic cells made of semiconductor material such as silicon.",
                "Photons absorbed by the cell excite electrons, producing a direct current.",
                "An inverter converts the direct current into alternating current for household use.",
                "Output depends on irradiance, panel orientation and temperature.",
            ],
            simple: [
                "Solar power is electricity that we make from sunlight.",
                "Solar panels are flat, dark panels that you often see on roofs.",
                "When sunlight hits a panel, it makes tiny bits called electrons move, and that is electricity.",
                "The electricity can light a house or charge a car.",
                "Solar power does not make smoke, and the sun will shine for a very long time.",
            ],
            analogies: [
                Analogy("a solar panel", "a leaf that catches sunlight, but makes electricity instead of food"),
                Analogy("sunlight hitting a panel", "rain turning a water wheel"),
            ],
            facts: [
                Fact("Solar panels turn sunlight into electricity.", ["sunlight", "electricity"]),
                Fact("Solar power does not make smoke.", ["smoke"]),
                Fact("Solar panels make less power on cloudy days and none at night.", ["night"]),
                Fact("Many solar panels are made from silicon, which comes from sand.", ["silicon"]),
            ],
            misconception: Misconception(
                claim: "Solar panels need hot weather to work.",
                triggers: ["need hot weather"],
                correction: "Solar panels need light, not heat, and they even work a little better when it is cool."
            ),
            childQuestion: "Can you spot a solar panel on a roof the next time you go for a walk?",
            storyIdea: "a town that ran on sunshine"
        ),
    ]
}

# Variance of the sequence-level importance weights w = π(y|x) / μ(y|x)
# Render from this directory: gnuplot importance-variance.gp  (writes importance-variance.png)
if (!exists("outfile")) outfile = 'importance-variance.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Variance of the sequence-level importance weights w = π(y|x) / μ(y|x)'
set xlabel 'KL(μ ‖ π) per response (nats)'
set ylabel 'Var(w) over μ''s samples'
set key top left box opaque
set grid
set logscale x
set format x '%g'
set logscale y
set format y '%g'
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'importance-variance.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'lr 0.002, step 24, update × λ', \
     'importance-variance.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'lr 0.002 (steps of the run)', \
     'importance-variance.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'lr 0.01 (steps of the run)', \
     'importance-variance.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'log-normal weights with mean 1: exp(2 KL) - 1'
